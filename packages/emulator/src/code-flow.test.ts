import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { approve, ApproveError } from './approve.js';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  authorization,
  BASIC_CLIENT,
  claimsOf,
  connect,
  CORRELATED,
  discover,
  SECOND_USER,
  useEmulator,
} from '../test/helpers.js';

describe('the authorization code flow', () => {
  const emulator = useEmulator({
    clients: [DEFAULT_CLIENT, BASIC_CLIENT],
    users: [DEFAULT_USER, SECOND_USER],
  });

  it('runs end to end with client_secret_post and the server default scopes', async () => {
    const tokens = await connect(emulator());

    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('openid profile email p1:read:user');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.expires_in).toBe(3600);
  });

  it('runs end to end with client_secret_basic', async () => {
    const tokens = await connect(emulator(), { client: BASIC_CLIENT });

    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('issues an RS256 ID token with sub = user id, nonce, email and names', async () => {
    const tokens = await connect(emulator());
    const [header] = tokens.id_token!.split('.');
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;

    expect(JSON.parse(Buffer.from(header!, 'base64url').toString()).alg).toBe('RS256');
    expect(claims).toMatchObject({
      iss: emulator().issuer,
      aud: DEFAULT_CLIENT.clientId,
      sub: DEFAULT_USER.id,
      email: DEFAULT_USER.email,
      email_verified: true,
      given_name: DEFAULT_USER.givenName,
      family_name: DEFAULT_USER.familyName,
      name: 'Demo User',
      preferred_username: DEFAULT_USER.username,
    });
    expect(claims.nonce).toEqual(expect.any(String));
  });

  it('issues a JWT access token for the Management API carrying the granted scopes', async () => {
    const tokens = await connect(emulator());
    const [header] = tokens.access_token.split('.');

    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      typ: 'at+jwt',
    });
    expect(claimsOf(tokens.access_token)).toMatchObject({
      iss: emulator().issuer,
      aud: [emulator().apiBaseUrl],
      sub: DEFAULT_USER.id,
      client_id: DEFAULT_CLIENT.clientId,
      env: emulator().environmentId,
      scope: 'openid profile email p1:read:user',
    });
  });

  it('signs on the user named in approve() and releases only the requested claims', async () => {
    const tokens = await connect(emulator(), {
      params: { scope: 'openid email' },
      approve: { username: SECOND_USER.username },
    });
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;

    expect(claims.sub).toBe(SECOND_USER.id);
    expect(claims.email).toBe(SECOND_USER.email);
    expect(claims).not.toHaveProperty('given_name');
    expect(tokens.scope).toBe('openid email');
  });

  it('returns state and the code, at the exact redirect URI', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT);
    const callback = await emulator().approve(request.url);

    expect(callback.origin + callback.pathname).toBe(DEFAULT_CLIENT.redirectUris[0]);
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('sends access_denied to the redirect URI when the user presses Deny', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT);
    const callback = await emulator().approve(request.url, { deny: true });

    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toMatch(CORRELATED);
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('refuses a wrong password on the sign-on page', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT);
    // The same browser-like walk, posting a password the emulator does not know.
    const walk = approve(
      {
        origin: emulator().apiBaseUrl,
        environmentPath: `/${emulator().environmentId}/`,
        users: [{ ...DEFAULT_USER, password: 'wrong' }],
      },
      request.url,
    );

    await expect(walk).rejects.toMatchObject({
      name: 'ApproveError',
      code: 'login_failed',
      status: 401,
    });
  });

  it('makes approve() refuse a URL that is not on the emulator', async () => {
    await expect(emulator().approve('http://127.0.0.1:1/elsewhere')).rejects.toThrow(TypeError);
  });

  it('makes approve() refuse a user the environment does not have', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT);

    await expect(emulator().approve(request.url, { username: 'nobody' })).rejects.toThrow(
      TypeError,
    );
  });

  it('reports an error page as an ApproveError with its OAuth error code', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT, { client_id: 'unknown-client' });

    const error = await emulator()
      .approve(request.url)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApproveError);
    expect(error).toMatchObject({ code: 'invalid_client', status: 400 });
  });
});
