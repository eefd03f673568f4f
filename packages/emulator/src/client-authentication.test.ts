import { generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import {
  authorization,
  clientAuth,
  connect,
  discover,
  exchange,
  insecure,
  privateKeyJwtClient,
  refresh,
  useEmulator,
} from '../test/helpers.js';
import type { EmulatorClient } from './types.js';

/** A Web App authenticating with an HS256 assertion signed with its secret. */
const SECRET_JWT_CLIENT: EmulatorClient = {
  clientId: 'secret-jwt-client',
  clientSecret: 'a-long-enough-secret-for-hmac-signing-000',
  redirectUris: ['http://127.0.0.1:4005/callback'],
  tokenEndpointAuthMethod: 'client_secret_jwt',
};

let keyClient: EmulatorClient;

describe('client_secret_jwt and private_key_jwt (create-a-client-secret-jwt, create-a-private-key-jwt)', () => {
  beforeAll(async () => {
    keyClient = await privateKeyJwtClient('key-client', 'http://127.0.0.1:4006/callback');
  });
  const emulator = useEmulator(() => ({ clients: [DEFAULT_CLIENT, SECRET_JWT_CLIENT, keyClient] }));

  async function tokenError(
    form: Record<string, string>,
  ): Promise<{ status: number; error: string }> {
    const response = await fetch(`${emulator().issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', ...form }),
    });
    return { status: response.status, error: ((await response.json()) as { error: string }).error };
  }

  function assertion(claims: Record<string, unknown> = {}) {
    return new SignJWT({
      iss: SECRET_JWT_CLIENT.clientId,
      sub: SECRET_JWT_CLIENT.clientId,
      aud: `${emulator().issuer}/token`,
      jti: crypto.randomUUID(),
      ...claims,
    }).setProtectedHeader({ alg: 'HS256' });
  }

  it('advertises exactly the methods it supports, and the assertion algorithms PingOne takes', async () => {
    const as = await discover(emulator());

    expect([...as.token_endpoint_auth_methods_supported!].sort()).toEqual([
      'client_secret_basic',
      'client_secret_jwt',
      'client_secret_post',
      'private_key_jwt',
    ]);
    expect([...as.token_endpoint_auth_signing_alg_values_supported!].sort()).toEqual([
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'RS384',
      'RS512',
    ]);
  });

  it.each([
    ['client_secret_jwt', () => SECRET_JWT_CLIENT],
    ['private_key_jwt', () => keyClient],
  ])('runs a whole flow with %s: code exchange, refresh, revocation', async (_, client) => {
    const tokens = await connect(emulator(), { client: client() });
    const refreshed = await refresh(emulator(), tokens.refresh_token!, client());
    expect(refreshed.status).toBe(200);

    const as = await discover(emulator());
    const revoked = await oauth.revocationRequest(
      as,
      { client_id: client().clientId },
      clientAuth(client()),
      tokens.access_token,
      insecure,
    );
    expect(revoked.status).toBe(200);
  });

  it('refuses a private_key_jwt assertion signed by a key that is not registered', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({
      iss: keyClient.clientId,
      sub: keyClient.clientId,
      aud: emulator().issuer,
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('5m')
      .sign(privateKey);

    expect(
      await tokenError({
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    ).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses a client_secret_jwt client that sends its secret in the body instead', async () => {
    expect(
      await tokenError({
        client_id: SECRET_JWT_CLIENT.clientId,
        client_secret: SECRET_JWT_CLIENT.clientSecret,
      }),
    ).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses an assertion that expires more than one hour from now', async () => {
    const secret = new TextEncoder().encode(SECRET_JWT_CLIENT.clientSecret);
    const jwt = await assertion().setExpirationTime('2h').sign(secret);

    expect(
      await tokenError({
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    ).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('takes an assertion addressed to the issuer, and one within the hour reaches the grant', async () => {
    const secret = new TextEncoder().encode(SECRET_JWT_CLIENT.clientSecret);
    const jwt = await assertion({ aud: emulator().issuer }).setExpirationTime('50m').sign(secret);

    expect(
      await tokenError({
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    ).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses a code exchange by another method than the client’s own', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, SECRET_JWT_CLIENT);
    const callback = await emulator().approve(request.url);
    const response = await exchange(
      as,
      { ...SECRET_JWT_CLIENT, tokenEndpointAuthMethod: 'client_secret_basic' },
      request,
      callback,
    );

    expect(response.status).toBe(401);
  });
});

describe('the jwks and tokenEndpointAuthMethod options', () => {
  it.each<[string, Partial<EmulatorClient>]>([
    ['private_key_jwt without jwks', { tokenEndpointAuthMethod: 'private_key_jwt' }],
    [
      'jwks with a secret method',
      {
        tokenEndpointAuthMethod: 'client_secret_post',
        jwks: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] },
      },
    ],
    [
      'a private key in jwks',
      {
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', d: 'secret' }] },
      },
    ],
    [
      'an EC key, which PingOne does not take for private_key_jwt',
      {
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
      },
    ],
    ['an unknown method', { tokenEndpointAuthMethod: 'none' as never }],
  ])('refuses %s with a TypeError', async (_, client) => {
    await expect(startEmulator({ clients: [{ ...DEFAULT_CLIENT, ...client }] })).rejects.toThrow(
      TypeError,
    );
  });
});
