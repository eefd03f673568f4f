import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { clientAuth, connect, discover, insecure, refresh, useEmulator } from '../test/helpers.js';
import type { Emulator, EmulatorClient } from './types.js';

/** A Web App with PingOne's refresh token reuse grace period set to one minute. */
const GRACE_CLIENT: EmulatorClient = {
  clientId: 'grace-client',
  clientSecret: 'grace-secret',
  redirectUris: ['http://127.0.0.1:4001/callback'],
  refreshTokenRollingGracePeriodDuration: 60,
};

/** Moves only the clock, which oidc-provider reads through Date; timers and sockets stay real. */
function clockAt(msFromNow: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + msFromNow });
}

describe('refresh token reuse grace period (refreshTokenRollingGracePeriodDuration)', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, GRACE_CLIENT] });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** Refreshes as `client`; the parsed token response, or the OAuth error of a refused one. */
  async function exchange(
    refreshToken: string,
    client = GRACE_CLIENT,
  ): Promise<{ status: number; tokens?: oauth.TokenEndpointResponse; error?: string }> {
    const response = await refresh(emulator(), refreshToken, client);
    if (response.status !== 200) {
      return {
        status: response.status,
        error: ((await response.json()) as { error: string }).error,
      };
    }
    const as = await discover(emulator());
    const tokens = await oauth.processRefreshTokenResponse(
      as,
      { client_id: client.clientId },
      response,
    );
    return { status: 200, tokens };
  }

  /** Code flow, then one refresh: the previous (used) refresh token and the current one. */
  async function rotatedOnce(
    client = GRACE_CLIENT,
  ): Promise<{ previous: string; current: string }> {
    const first = await connect(emulator(), { client });
    const second = await exchange(first.refresh_token!, client);
    expect(second.status).toBe(200);
    return { previous: first.refresh_token!, current: second.tokens!.refresh_token! };
  }

  const refused = { status: 400, error: 'invalid_grant' };

  it('within the grace period the previous refresh token works once, for a fresh pair', async () => {
    const { previous, current } = await rotatedOnce();
    clockAt(50_000);

    const reuse = await exchange(previous);
    expect(reuse.status).toBe(200);
    expect(reuse.tokens!.access_token).toEqual(expect.any(String));
    expect(reuse.tokens!.refresh_token).not.toBe(previous);
    expect(reuse.tokens!.refresh_token).not.toBe(current);
    // The chain goes on from the pair the reuse issued.
    expect((await exchange(reuse.tokens!.refresh_token!)).status).toBe(200);
  });

  it('a second reuse within the grace period revokes the chain', async () => {
    const { previous } = await rotatedOnce();
    const reuse = await exchange(previous);
    expect(reuse.status).toBe(200);

    expect(await exchange(previous)).toEqual(refused);
    expect(await exchange(reuse.tokens!.refresh_token!)).toEqual(refused);
  });

  it('a reuse after the grace period revokes the chain', async () => {
    const { previous, current } = await rotatedOnce();
    clockAt(60_000);

    expect(await exchange(previous)).toEqual(refused);
    expect(await exchange(current)).toEqual(refused);
  });

  it('the reuse abandons the token the first exchange issued: replaying it revokes the chain', async () => {
    const { previous, current } = await rotatedOnce();
    const reuse = await exchange(previous);
    expect(reuse.status).toBe(200);

    expect(await exchange(current)).toEqual(refused);
    expect(await exchange(reuse.tokens!.refresh_token!)).toEqual(refused);
  });

  it('the previous token is not reusable once the token it was exchanged for has been used', async () => {
    const { previous, current } = await rotatedOnce();
    const third = await exchange(current);
    expect(third.status).toBe(200);

    expect(await exchange(previous)).toEqual(refused);
    expect(await exchange(third.tokens!.refresh_token!)).toEqual(refused);
  });

  it('introspection reports the previous token inactive during its grace period', async () => {
    const { previous } = await rotatedOnce();
    const as = await discover(emulator());
    const response = await oauth.introspectionRequest(
      as,
      { client_id: GRACE_CLIENT.clientId },
      clientAuth(GRACE_CLIENT),
      previous,
      insecure,
    );
    const introspection = await oauth.processIntrospectionResponse(
      as,
      { client_id: GRACE_CLIENT.clientId },
      response,
    );

    expect(introspection.active).toBe(false);
    // Asking about it did not spend the reuse.
    expect((await exchange(previous)).status).toBe(200);
  });

  it('a refresh cut off after rotation can be retried with the previous token', async () => {
    const first = await connect(emulator(), { client: GRACE_CLIENT });
    const hold = emulator().faults.holdRefreshAfterRotation();
    // A client that goes away once PingOne has rotated the token and before it hears the answer.
    const gone = new AbortController();
    const cut = fetch(`${emulator().issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
        client_id: GRACE_CLIENT.clientId,
        client_secret: GRACE_CLIENT.clientSecret,
      }),
      signal: gone.signal,
    });
    try {
      await hold.held;
      gone.abort();
      await expect(cut).rejects.toThrow();

      const retry = await exchange(first.refresh_token!);
      expect(retry.status).toBe(200);
      expect((await exchange(retry.tokens!.refresh_token!)).status).toBe(200);
    } finally {
      hold.release();
    }
  });

  it('without a grace period (the default) a reused refresh token revokes the chain at once', async () => {
    const { previous, current } = await rotatedOnce(DEFAULT_CLIENT);

    expect(await exchange(previous, DEFAULT_CLIENT)).toEqual(refused);
    expect(await exchange(current, DEFAULT_CLIENT)).toEqual(refused);
  });
});

describe('the refreshTokenRollingGracePeriodDuration option', () => {
  async function started(refreshTokenRollingGracePeriodDuration: unknown): Promise<Emulator> {
    return startEmulator({
      clients: [{ ...GRACE_CLIENT, refreshTokenRollingGracePeriodDuration } as EmulatorClient],
    });
  }

  it.each<[string, unknown]>([
    ['a negative one', -1],
    ['a fractional one', 1.5],
    ['one over a day', 86_401],
    ['a string', '60'],
    ['NaN', Number.NaN],
    ['null', null],
  ])('refuses %s with a TypeError', async (_, value) => {
    await expect(started(value)).rejects.toThrow(TypeError);
  });

  it.each([0, 86_400])('accepts %j seconds and reports it on the client', async (value) => {
    const emulator = await started(value);
    try {
      expect(emulator.clients[0]?.refreshTokenRollingGracePeriodDuration).toBe(value);
    } finally {
      await emulator.close();
    }
  });

  it('is left out of a client that does not set it, as PingOne leaves it null', async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.clients[0]).not.toHaveProperty('refreshTokenRollingGracePeriodDuration');
    } finally {
      await emulator.close();
    }
  });
});
