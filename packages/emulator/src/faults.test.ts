import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import { createFaults } from './faults.js';
import { startEmulator } from './start-emulator.js';
import {
  authorization,
  browser,
  connect,
  CORRELATED,
  discover,
  locationOf,
  refresh,
  useEmulator,
} from './test-helpers.js';
import type { Emulator } from './types.js';

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

    const response = await fetch(`${emulator().apiBaseUrl}/v1/environments`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
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

describe('fault switches', () => {
  it('take their initial values from the options', async () => {
    const emulator = await startEmulator({ faults: { tokenFailStatus: 502, coopOnSignIn: true } });
    try {
      expect(emulator.faults).toEqual({
        tokenDelayMs: 0,
        tokenFailStatus: 502,
        apiRateLimit: null,
        coopOnSignIn: true,
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
  ])('refuse %s = %j with a TypeError', (name, value) => {
    const faults = createFaults();
    expect(() => Object.assign(faults, { [name]: value })).toThrow(TypeError);
  });

  it('refuse an unknown switch at start', async () => {
    await expect(startEmulator({ faults: { tokenDelay: 5 } as never })).rejects.toThrow(TypeError);
  });
});
