import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { authorization, CORRELATED, discover, exchange, useEmulator } from '../test/helpers.js';
import type { EmulatorClient, PkceEnforcement } from './types.js';

function clientWith(pkceEnforcement: PkceEnforcement, port: number): EmulatorClient {
  return {
    clientId: `pkce-${pkceEnforcement.toLowerCase()}`,
    clientSecret: 'pkce-secret',
    redirectUris: [`http://127.0.0.1:${port}/callback`],
    pkceEnforcement,
  };
}

const REQUIRED = clientWith('REQUIRED', 4010);
const S256_REQUIRED = clientWith('S256_REQUIRED', 4011);

describe('PKCE enforcement per application (terraform pingone_application pkce_enforcement)', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, REQUIRED, S256_REQUIRED] });

  /** The error at the redirect URI, or the code when there is none. */
  async function outcome(client: EmulatorClient, params: Record<string, string | null>) {
    const as = await discover(emulator());
    const request = await authorization(as, client, params);
    const callback = await emulator().approve(request.url);
    return {
      as,
      request,
      callback,
      error: callback.searchParams.get('error'),
      description: callback.searchParams.get('error_description') ?? '',
    };
  }

  const noPkce = { code_challenge: null, code_challenge_method: null };

  it('OPTIONAL (PingOne’s default): a request without PKCE is taken and its code exchanges without a verifier', async () => {
    const { as, request, callback, error } = await outcome(DEFAULT_CLIENT, noPkce);
    expect(error).toBeNull();

    const params = oauth.validateAuthResponse(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      callback,
      request.state,
    );
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code')!,
      redirect_uri: request.redirectUri,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    });
    const response = await fetch(`${emulator().issuer}/token`, { method: 'POST', body });
    expect(response.status).toBe(200);
  });

  it('OPTIONAL: a challenge that was sent is still checked at the exchange', async () => {
    const { as, request, callback } = await outcome(DEFAULT_CLIENT, {});
    const response = await exchange(
      as,
      DEFAULT_CLIENT,
      { ...request, verifier: oauth.generateRandomCodeVerifier() },
      callback,
    );
    expect(response.status).toBe(400);
  });

  it.each([
    ['REQUIRED', REQUIRED],
    ['S256_REQUIRED', S256_REQUIRED],
  ])('%s: a request without code_challenge gets invalid_request', async (_, client) => {
    const { error, description } = await outcome(client, noPkce);
    expect(error).toBe('invalid_request');
    expect(description).toMatch(/PKCE/);
    expect(description).toMatch(CORRELATED);
  });

  it.each([
    ['OPTIONAL', DEFAULT_CLIENT],
    ['REQUIRED', REQUIRED],
    ['S256_REQUIRED', S256_REQUIRED],
  ])(
    '%s: the plain method gets invalid_request (the emulator supports S256 only)',
    async (_, client) => {
      const { error } = await outcome(client, { code_challenge_method: 'plain' });
      expect(error).toBe('invalid_request');
    },
  );

  it('S256_REQUIRED: an S256 request runs end to end', async () => {
    const { as, request, callback, error } = await outcome(S256_REQUIRED, {});
    expect(error).toBeNull();
    const response = await exchange(as, S256_REQUIRED, request, callback);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      { client_id: S256_REQUIRED.clientId },
      response,
      { expectedNonce: request.nonce },
    );
    expect(tokens.access_token).toEqual(expect.any(String));
  });

  it('discovery advertises S256 as the only challenge method', async () => {
    expect((await discover(emulator())).code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe('the pkceEnforcement option', () => {
  it('defaults to OPTIONAL and refuses an unknown value with a TypeError', async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.clients[0]?.pkceEnforcement).toBe('OPTIONAL');
    } finally {
      await emulator.close();
    }
    await expect(
      startEmulator({ clients: [{ ...DEFAULT_CLIENT, pkceEnforcement: 'ALWAYS' as never }] }),
    ).rejects.toThrow(TypeError);
  });
});
