import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { approve } from './approve.js';
import { CookieJar } from './cookie-jar.js';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  authorization,
  claimsOf,
  clientAuth,
  connect,
  discover,
  exchange,
  insecure,
  refresh,
  useEmulator,
} from '../test/helpers.js';
import type { Emulator, EmulatorClient } from './types.js';

/** A Web App that sets PingOne's skipTokenSessionValidation. */
const SKIPPING_CLIENT: EmulatorClient = {
  clientId: 'skipping-client',
  clientSecret: 'skipping-secret',
  redirectUris: ['http://127.0.0.1:4002/callback'],
  skipTokenSessionValidation: true,
};

const DAY = 24 * 3600 * 1000;

/** Moves only the clock, which oidc-provider and the emulator read through Date. */
function clockAt(msFromNow: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + msFromNow });
}

async function errorOf(response: Response): Promise<{ status: number; error?: string }> {
  if (response.status === 200) return { status: 200 };
  return { status: response.status, error: ((await response.json()) as { error: string }).error };
}

const refused = { status: 400, error: 'invalid_grant' };

/** The one sign-on session whose tokens carry `sid`. */
function sessionOf(emulator: Emulator, sid: unknown) {
  const session = emulator.sessions().find((s) => s.id === sid);
  if (!session) throw new Error(`no session ${String(sid)}`);
  return session;
}

describe('refresh tokens are bound to the user’s sign-on session (token-validation: skipTokenSessionValidation; session-token-settings: 30 days)', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, SKIPPING_CLIENT] });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('a refresh after the session was deleted is refused with invalid_grant', async () => {
    const tokens = await connect(emulator());
    const sid = claimsOf(tokens.access_token).sid;
    expect(emulator().endSession(String(sid))).toBe(true);

    expect(await errorOf(await refresh(emulator(), tokens.refresh_token!))).toEqual(refused);
    expect(sessionOf(emulator(), sid)).toMatchObject({ endReason: 'deleted' });
  });

  it('a session lives 30 days after sign-on by default; refreshing does not extend it', async () => {
    const tokens = await connect(emulator());
    const session = sessionOf(emulator(), claimsOf(tokens.access_token).sid);
    expect(session.expiresAt.getTime() - session.signedOnAt.getTime()).toBe(30 * DAY);

    clockAt(29 * DAY);
    const refreshed = await refresh(emulator(), tokens.refresh_token!);
    expect(refreshed.status).toBe(200);
    const { refresh_token: next } = (await refreshed.json()) as { refresh_token: string };

    clockAt(30 * DAY + 1000);
    expect(await errorOf(await refresh(emulator(), next))).toEqual(refused);
    expect(sessionOf(emulator(), session.id)).toMatchObject({ endReason: 'expired' });
  });

  it('the eleventh session of a user purges the oldest, whose refresh token is refused', async () => {
    const first = await connect(emulator());
    const second = await connect(emulator());
    for (let i = 0; i < 9; i += 1) await connect(emulator());

    expect(await errorOf(await refresh(emulator(), first.refresh_token!))).toEqual(refused);
    expect(sessionOf(emulator(), claimsOf(first.access_token).sid)).toMatchObject({
      endReason: 'purged',
    });
    expect((await refresh(emulator(), second.refresh_token!)).status).toBe(200);
    const live = emulator()
      .sessions()
      .filter((s) => s.userId === DEFAULT_USER.id && !s.endedAt);
    expect(live).toHaveLength(10);
  });

  it('with skipTokenSessionValidation the refresh token outlives the session', async () => {
    const tokens = await connect(emulator(), { client: SKIPPING_CLIENT });
    emulator().endSession(String(claimsOf(tokens.access_token).sid));

    expect((await refresh(emulator(), tokens.refresh_token!, SKIPPING_CLIENT)).status).toBe(200);
  });

  it('introspection reports the refresh token of an ended session inactive', async () => {
    const tokens = await connect(emulator());
    const as = await discover(emulator());
    const introspect = async () =>
      oauth.processIntrospectionResponse(
        as,
        { client_id: DEFAULT_CLIENT.clientId },
        await oauth.introspectionRequest(
          as,
          { client_id: DEFAULT_CLIENT.clientId },
          clientAuth(DEFAULT_CLIENT),
          tokens.refresh_token!,
          insecure,
        ),
      );
    expect((await introspect()).active).toBe(true);

    emulator().endSession(String(claimsOf(tokens.access_token).sid));
    expect((await introspect()).active).toBe(false);
  });

  it('the access token of an ended session is refused by the Management API; a skipping client’s is not', async () => {
    const bound = await connect(emulator());
    const skipping = await connect(emulator(), { client: SKIPPING_CLIENT });
    const me = (token: string) =>
      fetch(
        `${emulator().apiBaseUrl}/v1/environments/${emulator().environmentId}/users/${DEFAULT_USER.id}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
    emulator().endSession(String(claimsOf(bound.access_token).sid));
    emulator().endSession(String(claimsOf(skipping.access_token).sid));

    expect((await me(bound.access_token)).status).toBe(401);
    expect((await me(skipping.access_token)).status).toBe(200);
  });

  it('signing in again in the same browser reuses the session: same sid, same end of life', async () => {
    const jar = new CookieJar();
    const { apiBaseUrl: origin, environmentId, users } = emulator();
    const walk = async () => {
      const as = await discover(emulator());
      const request = await authorization(as, DEFAULT_CLIENT);
      const callback = await approve(
        { origin, environmentPath: `/${environmentId}/`, users, jar },
        request.url,
      );
      return oauth.processAuthorizationCodeResponse(
        as,
        { client_id: DEFAULT_CLIENT.clientId },
        await exchange(as, DEFAULT_CLIENT, request, callback),
        { expectedNonce: request.nonce },
      );
    };
    const first = await walk();
    clockAt(DAY);
    const second = await walk();

    const sid = claimsOf(first.access_token).sid;
    expect(claimsOf(second.access_token).sid).toBe(sid);
    expect(
      emulator()
        .sessions()
        .filter((s) => s.id === sid),
    ).toHaveLength(1);
  });

  it('a code whose session ended before the exchange is refused', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT);
    const callback = await emulator().approve(request.url);
    const newest = emulator().sessions().at(-1)!;
    emulator().endSession(newest.id);

    expect(await errorOf(await exchange(as, DEFAULT_CLIENT, request, callback))).toEqual(refused);
  });
});

describe('the signOnSessionTtl option', () => {
  const emulator = useEmulator({ signOnSessionTtl: 60 });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('sets the session’s life in seconds', async () => {
    const tokens = await connect(emulator());
    clockAt(61_000);
    expect(await errorOf(await refresh(emulator(), tokens.refresh_token!))).toEqual(refused);
  });
});
