import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { clientAuth, connect, discover, insecure, refresh, useEmulator } from '../test/helpers.js';
import type { Emulator, EmulatorClient } from './types.js';

/** One hour per refresh token, two hours for the chain. */
const SHORT_CLIENT: EmulatorClient = {
  clientId: 'short-client',
  clientSecret: 'short-secret',
  redirectUris: ['http://127.0.0.1:4004/callback'],
  refreshTokenDuration: 3600,
  refreshTokenRollingDuration: 7200,
};

function clockAt(msFromStart: number, start: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: start + msFromStart });
}

describe('refresh token duration and rolling cap per application (terraform pingone_application refresh_token_duration, refresh_token_rolling_duration)', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, SHORT_CLIENT] });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function rotate(token: string): Promise<{ status: number; refreshToken?: string }> {
    const response = await refresh(emulator(), token, SHORT_CLIENT);
    if (response.status !== 200) return { status: response.status };
    const body = (await response.json()) as { refresh_token: string };
    return { status: 200, refreshToken: body.refresh_token };
  }

  async function lifetimeOf(token: string, client: EmulatorClient): Promise<number> {
    const as = await discover(emulator());
    const introspection = await oauth.processIntrospectionResponse(
      as,
      { client_id: client.clientId },
      await oauth.introspectionRequest(
        as,
        { client_id: client.clientId },
        clientAuth(client),
        token,
        insecure,
      ),
    );
    return Number(introspection.exp) - Number(introspection.iat);
  }

  it('a refresh token lives refreshTokenDuration seconds, 30 days by default', async () => {
    const tokens = await connect(emulator());
    expect(await lifetimeOf(tokens.refresh_token!, DEFAULT_CLIENT)).toBe(30 * 24 * 3600);
    const short = await connect(emulator(), { client: SHORT_CLIENT });
    expect(await lifetimeOf(short.refresh_token!, SHORT_CLIENT)).toBe(3600);
  });

  it('a refresh token past its duration is refused; each rotation starts a new one', async () => {
    const start = Date.now();
    const first = await connect(emulator(), { client: SHORT_CLIENT });
    clockAt(3000_000, start);
    const second = await rotate(first.refresh_token!);
    expect(second.status).toBe(200);

    clockAt(3000_000 + 3601_000, start);
    expect(await rotate(second.refreshToken!)).toEqual({ status: 400 });
  });

  it('no refresh token of the chain outlives refreshTokenRollingDuration after sign-on', async () => {
    const first = await connect(emulator(), { client: SHORT_CLIENT });
    // The cap counts from the sign-on, in whole seconds.
    const start = emulator().sessions().at(-1)!.signedOnAt.getTime();
    clockAt(3000_000, start);
    const second = await rotate(first.refresh_token!);
    clockAt(6000_000, start);
    const third = await rotate(second.refreshToken!);
    expect(third.status).toBe(200);
    // Minted at 6000 s: an hour would reach 9600 s, the rolling cap stops it at 7200 s.
    expect(await lifetimeOf(third.refreshToken!, SHORT_CLIENT)).toBe(1200);

    clockAt(7201_000, start);
    expect(await rotate(third.refreshToken!)).toEqual({ status: 400 });
  });
});

describe('the refreshTokenDuration and refreshTokenRollingDuration options', () => {
  async function started(client: Partial<EmulatorClient>): Promise<Emulator> {
    return startEmulator({ clients: [{ ...SHORT_CLIENT, ...client } as EmulatorClient] });
  }

  it.each<[string, Partial<EmulatorClient>]>([
    ['a duration under 60 s', { refreshTokenDuration: 59 }],
    ['a duration over 2147483647 s', { refreshTokenDuration: 2_147_483_648 }],
    ['a fractional rolling duration', { refreshTokenRollingDuration: 100.5 }],
    ['a duration longer than the rolling duration', { refreshTokenDuration: 7201 }],
    ['a string', { refreshTokenDuration: '3600' as unknown as number }],
  ])('refuses %s with a TypeError', async (_, client) => {
    await expect(started(client)).rejects.toThrow(TypeError);
  });

  it('reports PingOne’s defaults on a client that sets neither', async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.clients[0]).toMatchObject({
        refreshTokenDuration: 2_592_000,
        refreshTokenRollingDuration: 15_552_000,
      });
    } finally {
      await emulator.close();
    }
  });
});
