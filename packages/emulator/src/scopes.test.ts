import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, OIDC_SCOPES, PINGONE_API_SCOPES } from './defaults.js';
import { authorization, claimsOf, connect, discover, useEmulator } from '../test/helpers.js';

/** PingOne's validation prefix, the INVALID_DATA message of its error-codes page. */
const VALIDATION_PREFIX =
  'The request could not be completed. One or more validation errors were in the request.';

describe('scopes, as PingOne lists them (pingone-self-management-scopes, openid-connect-oidc-scopes)', () => {
  const emulator = useEmulator();

  async function refusal(scope: string) {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, { scope });
    const callback = await emulator().approve(url);
    return {
      error: callback.searchParams.get('error'),
      description: callback.searchParams.get('error_description') ?? '',
      code: callback.searchParams.get('code'),
    };
  }

  it('grants every self-service p1: scope PingOne documents, in the token response and the access token', async () => {
    const scope = ['openid', ...PINGONE_API_SCOPES].join(' ');
    const tokens = await connect(emulator(), { params: { scope } });

    expect(tokens.scope?.split(' ').sort()).toEqual([...scope.split(' ')].sort());
    expect(String(claimsOf(tokens.access_token).scope).split(' ').sort()).toEqual(
      [...scope.split(' ')].sort(),
    );
  });

  it.each(PINGONE_API_SCOPES.map((scope) => [scope]))('grants %s on its own', async (scope) => {
    const tokens = await connect(emulator(), { params: { scope: `openid ${scope}` } });
    expect(tokens.scope).toBe(`openid ${scope}`);
  });

  it('accepts PingOne’s OpenID Connect scopes openid profile email address phone', async () => {
    const tokens = await connect(emulator(), { params: { scope: OIDC_SCOPES.join(' ') } });
    expect(tokens.scope).toBe('openid profile email address phone');
  });

  it('refuses offline_access, which PingOne does not list, as an unknown scope', async () => {
    const { error, description, code } = await refusal('openid offline_access');
    expect(code).toBeNull();
    expect(error).toBe('invalid_scope');
    expect(description.startsWith(VALIDATION_PREFIX)).toBe(true);
    expect(description).toContain('offline_access');
  });

  it('refuses a p1: scope PingOne does not have with invalid_scope and PingOne’s validation prefix', async () => {
    const { error, description } = await refusal('openid p1:read:everything');
    expect(error).toBe('invalid_scope');
    expect(description.startsWith(VALIDATION_PREFIX)).toBe(true);
    expect(description).toContain('p1:read:everything');
  });
});
