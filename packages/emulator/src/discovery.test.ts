import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENT_ID } from './defaults.js';
import { discover, useEmulator } from '../test/helpers.js';

describe('discovery', () => {
  const emulator = useEmulator();

  it('puts the issuer at http://127.0.0.1:{port}/{environmentId}/as', () => {
    expect(emulator().issuer).toBe(
      `http://127.0.0.1:${emulator().port}/${DEFAULT_ENVIRONMENT_ID}/as`,
    );
    expect(emulator().authBaseUrl).toBe(emulator().issuer);
    expect(emulator().apiBaseUrl).toBe(`http://127.0.0.1:${emulator().port}`);
    expect(emulator().environmentId).toBe(DEFAULT_ENVIRONMENT_ID);
  });

  it('serves PingOne’s endpoint names under the issuer', async () => {
    const as = await discover(emulator());
    const issuer = emulator().issuer;

    expect(as).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      revocation_endpoint: `${issuer}/revoke`,
      introspection_endpoint: `${issuer}/introspect`,
      end_session_endpoint: `${issuer}/signoff`,
    });
  });

  it('advertises the code flow with PKCE S256 and RS256 ID tokens', async () => {
    const as = await discover(emulator());

    expect(as.response_types_supported).toEqual(['code']);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
    expect(as.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_post', 'client_secret_basic']),
    );
    expect(as.token_endpoint_auth_methods_supported).not.toContain('none');
    expect(as.id_token_signing_alg_values_supported).toContain('RS256');
    expect(as.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(as.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'email', 'given_name', 'family_name']),
    );
  });

  it('publishes one RS256 signing key without its private parts', async () => {
    const response = await fetch(`${emulator().issuer}/jwks`);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: expect.any(String),
    });
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(part);
  });

  it('answers an unknown path with a 404', async () => {
    const response = await fetch(`${emulator().apiBaseUrl}/nothing-here`);
    expect(response.status).toBe(404);
  });
});
