import * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import { createFaults } from './faults.js';
import { startEmulator } from './start-emulator.js';
import {
  authorization,
  browser,
  clientAuth,
  connect,
  CORRELATED,
  discover,
  insecure,
  locationOf,
  refresh,
  useEmulator,
} from '../test/helpers.js';
import type { Emulator, RefreshHold } from './types.js';

describe('token endpoint faults', () => {
  const emulator = useEmulator();

  beforeEach(() => {
    Object.assign(emulator().faults, { tokenDelayMs: 0, tokenFailStatus: null });
    emulator().resetCounters();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('tokenDelayMs holds the answer until the delay has passed', async () => {
    const { refresh_token } = await connect(emulator());
    emulator().resetCounters();
    // Only setTimeout is faked: the clock that the emulator delays on, nothing else.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    emulator().faults.tokenDelayMs = 5000;

    let answered = false;
    const pending = refresh(emulator(), refresh_token!).finally(() => {
      answered = true;
    });
    await vi.waitFor(() => expect(emulator().tokenRequests('refresh_token')).toBe(1), {
      interval: 1,
    });
    await vi.advanceTimersByTimeAsync(4900);
    // A whole round trip on another request: an answer sent at once would have arrived by now.
    await discover(emulator());
    expect(answered).toBe(false);

    await vi.advanceTimersByTimeAsync(100);
    expect((await pending).status).toBe(200);
  });

  it('tokenFailStatus answers that status with a PingOne-shaped error', async () => {
    const { refresh_token } = await connect(emulator());
    emulator().faults.tokenFailStatus = 503;

    const response = await refresh(emulator(), refresh_token!);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toMatch(CORRELATED);
  });

  it('tokenFailStatus 500 answers server_error', async () => {
    const { refresh_token } = await connect(emulator());
    emulator().faults.tokenFailStatus = 500;

    const response = await refresh(emulator(), refresh_token!);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toBe('server_error');
  });

  it('a failed token call leaves the refresh token usable once the fault is off', async () => {
    const { refresh_token } = await connect(emulator());
    emulator().faults.tokenFailStatus = 503;
    await refresh(emulator(), refresh_token!);
    emulator().faults.tokenFailStatus = null;

    expect((await refresh(emulator(), refresh_token!)).status).toBe(200);
  });

  it('counts token calls by grant type, failed ones included, until reset', async () => {
    const { refresh_token } = await connect(emulator());
    const second = (await (await refresh(emulator(), refresh_token!)).json()) as {
      refresh_token: string;
    };
    emulator().faults.tokenFailStatus = 503;
    await refresh(emulator(), second.refresh_token);

    expect(emulator().tokenRequests()).toBe(3);
    expect(emulator().tokenRequests('authorization_code')).toBe(1);
    expect(emulator().tokenRequests('refresh_token')).toBe(2);
    expect(emulator().tokenRequests('client_credentials')).toBe(0);

    emulator().resetCounters();
    expect(emulator().tokenRequests()).toBe(0);
    expect(emulator().tokenRequests('refresh_token')).toBe(0);
  });

  it('counts a token call that names no grant type in the total only', async () => {
    await fetch(`${emulator().issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ code: 'x' }),
    });

    expect(emulator().tokenRequests()).toBe(1);
  });
});

describe('Management API rate limit fault', () => {
  const emulator = useEmulator();

  afterEach(() => {
    emulator().faults.apiRateLimit = null;
  });

  it('apiRateLimit answers 429 with Retry-After, token or not', async () => {
    const { access_token } = await connect(emulator());
    emulator().faults.apiRateLimit = { retryAfter: 7 };

    const withAndWithoutToken: Record<string, string>[] = [
      { Authorization: `Bearer ${access_token}` },
      {},
    ];
    for (const headers of withAndWithoutToken) {
      const response = await fetch(`${emulator().apiBaseUrl}/v1/environments`, { headers });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toMatchObject({ code: 'REQUEST_LIMITED' });
    }
  });

  it('answers normally again once apiRateLimit is off', async () => {
    const { access_token } = await connect(emulator());
    emulator().faults.apiRateLimit = { retryAfter: 1 };
    emulator().faults.apiRateLimit = null;

    const { apiBaseUrl, environmentId } = emulator();
    const response = await fetch(
      `${apiBaseUrl}/v1/environments/${environmentId}/users/${DEFAULT_USER.id}`,
      { headers: { Authorization: `Bearer ${access_token}` } },
    );
    expect(response.status).toBe(200);
  });
});

describe('Cross-Origin-Opener-Policy fault', () => {
  const emulator = useEmulator();

  afterEach(() => {
    emulator().faults.coopOnSignIn = false;
  });

  /** Fetches the sign-on page, then signs on and fetches the consent page; returns both responses. */
  async function pages(em: Emulator): Promise<Response[]> {
    const get = browser();
    const { url } = await authorization(await discover(em), DEFAULT_CLIENT);
    const signOnUrl = locationOf(await get(url), url);
    const signOn = await get(signOnUrl);
    const login = await get(new URL(`${signOnUrl.pathname}/login`, url), {
      method: 'POST',
      body: new URLSearchParams({
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password,
      }),
    });
    const resumeUrl = locationOf(login, url);
    const consent = await get(locationOf(await get(resumeUrl), url));
    expect([signOn.status, consent.status]).toEqual([200, 200]);
    expect(await consent.text()).toContain('Allow');
    return [signOn, consent];
  }

  it('coopOnSignIn sends Cross-Origin-Opener-Policy: same-origin on sign-on and consent pages', async () => {
    emulator().faults.coopOnSignIn = true;
    for (const page of await pages(emulator())) {
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
  });

  it('sends no Cross-Origin-Opener-Policy while the switch is off', async () => {
    for (const page of await pages(emulator())) {
      expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
    }
  });
});

describe('refresh hold after rotation fault', () => {
  const emulator = useEmulator();
  let hold: RefreshHold | undefined;

  afterEach(() => {
    hold?.release();
    hold = undefined;
  });

  /** Whether introspection reports the refresh token active. */
  async function active(token: string): Promise<boolean> {
    const as = await discover(emulator());
    const client = { client_id: DEFAULT_CLIENT.clientId };
    const response = await oauth.introspectionRequest(
      as,
      client,
      clientAuth(DEFAULT_CLIENT),
      token,
      insecure,
    );
    return (await oauth.processIntrospectionResponse(as, client, response)).active;
  }

  /** Starts a refresh and notes when its answer arrives. */
  function refreshing(token: string): { response: Promise<Response>; answered: () => boolean } {
    let answered = false;
    const response = refresh(emulator(), token).finally(() => {
      answered = true;
    });
    return { response, answered: () => answered };
  }

  it('holds a refresh after it has rotated the refresh token, and answers once released', async () => {
    const { refresh_token } = await connect(emulator());
    hold = emulator().faults.holdRefreshAfterRotation();

    const pending = refreshing(refresh_token!);
    await hold.held;
    // Rotated already: the refresh token it came with is used.
    expect(await active(refresh_token!)).toBe(false);
    // A whole round trip on another request: an answer sent at once would have arrived by now.
    await discover(emulator());
    expect(pending.answered()).toBe(false);

    hold.release();
    const response = await pending.response;
    expect(response.status).toBe(200);
    const { refresh_token: issued } = (await response.json()) as { refresh_token: string };
    expect(issued).not.toBe(refresh_token);
    expect(await active(issued)).toBe(true);
  });

  it('a refresh token replayed while its refresh is held is refused: it was rotated already', async () => {
    const { refresh_token } = await connect(emulator());
    hold = emulator().faults.holdRefreshAfterRotation();
    const pending = refreshing(refresh_token!);
    await hold.held;

    const replay = await refresh(emulator(), refresh_token!);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');

    hold.release();
    expect((await pending.response).status).toBe(200);
  });

  it('held resolves only once as many refreshes as asked are held', async () => {
    const [a, b] = [await connect(emulator()), await connect(emulator())];
    hold = emulator().faults.holdRefreshAfterRotation({ requests: 2 });
    let allHeld = false;
    void hold.held.then(() => (allHeld = true));

    const first = refreshing(a.refresh_token!);
    await vi.waitFor(async () => expect(await active(a.refresh_token!)).toBe(false), {
      interval: 5,
    });
    expect(allHeld).toBe(false);
    const second = refreshing(b.refresh_token!);
    await hold.held;
    expect([first.answered(), second.answered()]).toEqual([false, false]);

    hold.release();
    expect((await first.response).status).toBe(200);
    expect((await second.response).status).toBe(200);
  });

  it('answers refreshes beyond the number asked for at once', async () => {
    const [a, b] = [await connect(emulator()), await connect(emulator())];
    hold = emulator().faults.holdRefreshAfterRotation();
    const first = refreshing(a.refresh_token!);
    await hold.held;

    expect((await refresh(emulator(), b.refresh_token!)).status).toBe(200);
    expect(first.answered()).toBe(false);
  });

  it('does not hold an authorization code exchange', async () => {
    hold = emulator().faults.holdRefreshAfterRotation();

    const tokens = await connect(emulator());
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('held rejects when the hold is released before a refresh was held; later ones pass', async () => {
    const { refresh_token } = await connect(emulator());
    const released = emulator().faults.holdRefreshAfterRotation();
    released.release();

    await expect(released.held).rejects.toThrow(/released with 0 of 1/);
    expect((await refresh(emulator(), refresh_token!)).status).toBe(200);
  });

  it('refuses a second hold while one is armed, and takes one once it is released', () => {
    hold = emulator().faults.holdRefreshAfterRotation();
    expect(() => emulator().faults.holdRefreshAfterRotation()).toThrow(TypeError);

    hold.release();
    hold = emulator().faults.holdRefreshAfterRotation();
  });

  it.each([
    [{ requests: 0 }],
    [{ requests: 1.5 }],
    [{ requests: '2' }],
    [{ wait: 1 }],
    [null],
    [5],
  ])('refuses the options %j with a TypeError', (options) => {
    expect(() => emulator().faults.holdRefreshAfterRotation(options as never)).toThrow(TypeError);
  });
});

describe('refresh hold when the emulator closes', () => {
  it('drops a held request without an answer, and close() does not wait for it', async () => {
    const emulator = await startEmulator();
    const { refresh_token } = await connect(emulator);
    const hold = emulator.faults.holdRefreshAfterRotation();
    const pending = refresh(emulator, refresh_token!);
    await hold.held;

    await emulator.close();
    await expect(pending).rejects.toThrow();
  });

  it('held rejects when the emulator closes before a refresh was held, or after', async () => {
    const emulator = await startEmulator();
    const hold = emulator.faults.holdRefreshAfterRotation();

    await emulator.close();
    await expect(hold.held).rejects.toThrow(/emulator closed/);
    await expect(emulator.faults.holdRefreshAfterRotation().held).rejects.toThrow(
      /emulator closed/,
    );
  });
});

describe('fault switches', () => {
  it('take their initial values from the options', async () => {
    const emulator = await startEmulator({
      faults: { tokenFailStatus: 502, coopOnSignIn: true, authorizationResponseIss: true },
    });
    try {
      expect(emulator.faults).toEqual({
        tokenDelayMs: 0,
        tokenFailStatus: 502,
        apiRateLimit: null,
        tokenRateLimit: null,
        coopOnSignIn: true,
        authorizationResponseIss: true,
      });
    } finally {
      await emulator.close();
    }
  });

  it.each([
    ['tokenDelayMs', -1],
    ['tokenDelayMs', 1.5],
    ['tokenDelayMs', 2 ** 31],
    ['tokenDelayMs', '5'],
    ['tokenFailStatus', 404],
    ['tokenFailStatus', 600],
    ['tokenFailStatus', '503'],
    ['apiRateLimit', { retryAfter: -1 }],
    ['apiRateLimit', {}],
    ['apiRateLimit', 30],
    ['coopOnSignIn', 'yes'],
    ['tokenRateLimit', { retryAfter: 1.5 }],
    ['authorizationResponseIss', 1],
  ])('refuse %s = %j with a TypeError', (name, value) => {
    const faults = createFaults();
    expect(() => Object.assign(faults, { [name]: value })).toThrow(TypeError);
  });

  it('refuse an unknown switch at start', async () => {
    await expect(startEmulator({ faults: { tokenDelay: 5 } as never })).rejects.toThrow(TypeError);
  });

  it('refuse a hold in the options: a hold is armed while the emulator runs', async () => {
    await expect(
      startEmulator({ faults: { holdRefreshAfterRotation: () => undefined } as never }),
    ).rejects.toThrow(TypeError);
  });
});
