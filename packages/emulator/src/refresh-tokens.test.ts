import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  authorization,
  BASIC_CLIENT,
  clientAuth,
  connect,
  CORRELATED,
  discover,
  exchange,
  insecure,
  refresh,
  useEmulator,
} from '../test/helpers.js';

const client = { client_id: DEFAULT_CLIENT.clientId };

async function refreshed(response: Response, emulator: Parameters<typeof discover>[0]) {
  return oauth.processRefreshTokenResponse(await discover(emulator), client, response);
}

async function errorBody(response: Response) {
  return (await response.json()) as { error: string; error_description: string };
}

describe('refresh tokens', () => {
  const emulator = useEmulator({
    clients: [DEFAULT_CLIENT, BASIC_CLIENT],
    tokenTtl: { accessToken: 60, refreshToken: 600 },
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('are rotated on every refresh, with the same scope and a new ID token', async () => {
    const first = await connect(emulator());
    const second = await refreshed(await refresh(emulator(), first.refresh_token!), emulator());
    const third = await refreshed(await refresh(emulator(), second.refresh_token!), emulator());

    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect(third.scope).toBe('openid profile email p1:read:user');
    expect(oauth.getValidatedIdTokenClaims(third)?.sub).toBe(DEFAULT_USER.id);
  });

  it('replaying a used refresh token is refused with invalid_grant', async () => {
    const first = await connect(emulator());
    await refreshed(await refresh(emulator(), first.refresh_token!), emulator());

    const replay = await refresh(emulator(), first.refresh_token!);
    expect(replay.status).toBe(400);
    const body = await errorBody(replay);
    expect(body.error).toBe('invalid_grant');
    expect(body.error_description).toMatch(CORRELATED);
  });

  it('replaying a used refresh token revokes the chain: the newest one stops working too', async () => {
    const first = await connect(emulator());
    const second = await refreshed(await refresh(emulator(), first.refresh_token!), emulator());
    await refresh(emulator(), first.refresh_token!);

    const next = await refresh(emulator(), second.refresh_token!);
    expect(next.status).toBe(400);
    expect((await errorBody(next)).error).toBe('invalid_grant');
  });

  it('a custom resource’s refresh token revoked at /as/revoke can no longer be used', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid read:photos' } });
    const as = await discover(emulator());
    const revoked = await oauth.revocationRequest(
      as,
      client,
      clientAuth(DEFAULT_CLIENT),
      tokens.refresh_token!,
      insecure,
    );
    await oauth.processRevocationResponse(revoked);

    const after = await refresh(emulator(), tokens.refresh_token!);
    expect(after.status).toBe(400);
    expect((await errorBody(after)).error).toBe('invalid_grant');
  });

  it('a refresh token of another client is refused', async () => {
    const tokens = await connect(emulator());

    const response = await refresh(emulator(), tokens.refresh_token!, BASIC_CLIENT);
    expect(response.status).toBe(400);
    expect((await errorBody(response)).error).toBe('invalid_grant');
  });

  it('expire after the configured lifetime', async () => {
    const tokens = await connect(emulator());
    // Only the clock moves: timers and sockets stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 601_000 });

    const response = await refresh(emulator(), tokens.refresh_token!);
    expect(response.status).toBe(400);
    expect((await errorBody(response)).error).toBe('invalid_grant');
  });

  it('come with access tokens of the configured lifetime', async () => {
    const tokens = await connect(emulator());
    expect(tokens.expires_in).toBe(60);
  });
});

describe('the UserInfo endpoint', () => {
  const emulator = useEmulator();

  async function userinfo(accessToken: string): Promise<Response> {
    const as = await discover(emulator());
    return oauth.userInfoRequest(as, client, accessToken, insecure);
  }

  it('accepts the JWT access token of a PingOne API request, as PingOne does', async () => {
    const tokens = await connect(emulator());
    const response = await userinfo(tokens.access_token);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: DEFAULT_USER.id,
      name: 'Demo User',
      given_name: DEFAULT_USER.givenName,
      family_name: DEFAULT_USER.familyName,
      preferred_username: DEFAULT_USER.username,
      email: DEFAULT_USER.email,
      email_verified: true,
    });
  });

  it('accepts the access token of an OpenID Connect only request', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid email' } });
    const response = await userinfo(tokens.access_token);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: DEFAULT_USER.id,
      email: DEFAULT_USER.email,
      email_verified: true,
    });
  });

  it('refuses a JWT it did not sign', async () => {
    const tokens = await connect(emulator());
    const [header, payload] = tokens.access_token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;

    const response = await userinfo(forged);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('refuses a token without the openid scope', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT, { scope: 'p1:read:user', nonce: null });
    const response = await exchange(
      as,
      DEFAULT_CLIENT,
      request,
      await emulator().approve(request.url),
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);

    const answer = await userinfo(tokens.access_token);
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
  });
});
