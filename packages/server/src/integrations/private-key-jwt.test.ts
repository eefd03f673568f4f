import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_CUSTOM_RESOURCE, startEmulator, type Emulator } from '@pingone-connect/emulator';
import type { ErrorResponse, Integration, PreflightCheck } from '@pingone-connect/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey, type ClientSigningKey } from '../crypto/signing-key.js';
import { isActiveFor } from '../../test/introspect.js';
import { PUBLIC_URL } from '../../test/support.js';
import {
  ENV_A,
  SECRET_A,
  connectTenant,
  integrationBody,
  startTenantApp,
  tempDir,
  type TenantApp,
} from '../../test/tenants.js';

const CLIENT = 'acme-client';
/** Scopes whose grant PingOne's /as/revoke really ends (p1: tokens stay valid, DESIGN §4.10). */
const REVOCABLE = ['openid', 'profile', 'email', DEFAULT_CUSTOM_RESOURCE.scopes[0]!];

let dir: Awaited<ReturnType<typeof tempDir>>;
let emulator: Emulator;
let server: TenantApp;
let key: ClientSigningKey;
/** A second key the PingOne application also holds: the one a rotation moves to. */
let rotated: ClientSigningKey;
/** Every body the API answered in these tests, for the secret scan. */
const answers: string[] = [];

async function call(method: string, path: string, body?: unknown) {
  const response = await server.call(method, path, body);
  const text = await response.text();
  answers.push(text);
  return { status: response.status, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** A POST /integrations body for the emulator's private_key_jwt client: a key, no secret. */
const body = (id: string, overrides: Record<string, unknown> = {}) => {
  const { client_secret: _, ...base } = integrationBody(id, emulator, SECRET_A);
  return {
    ...base,
    client_id: CLIENT,
    token_auth_method: 'private_key_jwt',
    private_key_jwk: key.privateJwk,
    scopes: REVOCABLE,
    ...overrides,
  };
};

/** Expects `400 invalid_request` naming `field`, with no request sent to PingOne. */
async function expectBadRequest(payload: Record<string, unknown>, message: RegExp) {
  server.outgoing.length = 0;
  const answer = await call('POST', '/integrations', payload);
  expect(answer.status).toBe(400);
  const { error } = answer.json() as unknown as ErrorResponse;
  expect(error.code).toBe('invalid_request');
  expect(error.message).toMatch(message);
  expect(server.outgoing).toEqual([]);
}

beforeAll(async () => {
  dir = await tempDir();
  key = generateSigningKey();
  rotated = generateSigningKey('RS384');
  emulator = await startEmulator({
    environmentId: ENV_A,
    clients: [
      {
        clientId: CLIENT,
        clientSecret: SECRET_A,
        redirectUris: [`${PUBLIC_URL}/oauth/callback`],
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [key.publicJwk, rotated.publicJwk] },
      },
    ],
  });
  server = await startTenantApp(dir.path);
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
  await dir?.remove();
});

describe('an API-made private_key_jwt integration', () => {
  it('answers only the public key, and connects, refreshes and revokes with the private one', async () => {
    const created = await call('POST', '/integrations', body('acme'));
    expect(created.status).toBe(201);
    const view = created.json() as unknown as Integration & {
      preflight: { ok: boolean; checks: PreflightCheck[] };
    };
    expect(view.token_auth_method).toBe('private_key_jwt');
    expect(view.signing_key).toEqual({
      kid: key.kid,
      alg: 'RS256',
      jwks: { keys: [key.publicJwk] },
    });
    expect(view.preflight.checks.map((check) => [check.name, check.ok])).toEqual([
      ['discovery', true],
      ['issuer', true],
      ['endpoints', true],
      ['pkce', true],
      ['auth_method', true],
      ['client_credentials', true],
    ]);

    const id = await connectTenant(server, emulator, 'acme');
    const refreshed = await call('GET', `/connections/${id}?refresh=force`);
    expect(refreshed.status).toBe(200);
    expect(emulator.tokenRequests('refresh_token')).toBe(1);
    const { credentials } = refreshed.json() as { credentials: { refresh_token: string } };
    const auth = { method: 'private_key_jwt', signingKey: key } as const;
    const active = () => isActiveFor(emulator.issuer, CLIENT, auth, credentials.refresh_token);
    expect(await active()).toBe(true);
    const deleted = await call('DELETE', `/connections/${id}`);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ revoked: ['refresh_token', 'access_token'] });
    expect(await active()).toBe(false);

    expect((await call('GET', '/integrations/acme')).json()).toMatchObject({
      signing_key: { kid: key.kid },
    });
    expect((await call('POST', '/integrations/acme/preflight')).json()).toMatchObject({
      ok: true,
    });
  });

  it('never lets the private key out: not in the database file, the logs, /logs or any answer', async () => {
    await call('GET', '/integrations');
    await call('GET', '/logs?limit=100');
    const { d, p, q, dp, dq, qi } = key.privateJwk;
    const secrets = { d, p, q, dp, dq, qi };
    const files = await Promise.all(
      ['', '-wal'].map((suffix) =>
        readFile(join(dir.path, `tenants.db${suffix}`)).catch(() => Buffer.alloc(0)),
      ),
    );
    const raw = files.map((file) => file.toString('latin1')).join('\n');
    const logs = server.logs.join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      // A long base64url run of the key: its start, as a leak need not be whole.
      const sample = value.slice(0, 32);
      expect(raw.includes(sample), `${name} in the database`).toBe(false);
      expect(logs.includes(sample), `${name} in the logs`).toBe(false);
      expect(answers.join('\n').includes(sample), `${name} in an answer`).toBe(false);
    }
    expect(raw).toContain(key.kid); // the public half is there, in the clear, and only it
  });
});

describe('the preflight of a private_key_jwt integration', () => {
  beforeEach(() => {
    server.outgoing.length = 0;
  });

  it('fails the client_credentials check for a key PingOne does not hold', async () => {
    const stranger = generateSigningKey();
    const answer = await call(
      'POST',
      '/integrations',
      body('wrong-key', { private_key_jwk: stranger.privateJwk }),
    );
    expect(answer.status).toBe(422);
    const { error } = answer.json() as unknown as ErrorResponse;
    expect(error.code).toBe('integration_invalid');
    expect(error.details?.checks?.find((check) => !check.ok)).toEqual({
      name: 'client_credentials',
      ok: false,
      message: expect.stringContaining(`kid ${stranger.kid}`),
    });
    expect((await call('GET', '/integrations/wrong-key')).status).toBe(404);
  });

  it('fails the auth_method check when PingOne does not advertise private_key_jwt', async () => {
    // A discovery document that lists only the secret methods: the emulator advertises all
    // four, as PingOne does, so this one is served by hand.
    const discovery: Server = createServer((request, response) => {
      const origin = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
      const issuer = `${origin}/${ENV_A}/as`;
      if (request.url !== `/${ENV_A}/as/.well-known/openid-configuration`) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        }),
      );
    });
    await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
      const answer = await call(
        'POST',
        '/integrations',
        body('unadvertised', { auth_base_url: `${origin}/${ENV_A}/as`, api_base_url: origin }),
      );
      expect(answer.status).toBe(422);
      const { error } = answer.json() as unknown as ErrorResponse;
      expect(error.details?.checks?.find((check) => !check.ok)).toEqual({
        name: 'auth_method',
        ok: false,
        message: expect.stringContaining('does not accept private_key_jwt'),
      });
      // Refused before the token endpoint was called.
      expect(server.outgoing.map((request) => new URL(request.url).pathname)).toEqual([
        `/${ENV_A}/as/.well-known/openid-configuration`,
      ]);
    } finally {
      await new Promise((resolve) => discovery.close(resolve));
    }
  });
});

describe('POST /integrations refuses a bad private key with 400 invalid_request', () => {
  it('refuses a public-only JWK', async () => {
    await expectBadRequest(
      body('public-only', { private_key_jwk: key.publicJwk }),
      /^private_key_jwk: is a public key/,
    );
  });

  it('refuses a symmetric JWK', async () => {
    const oct = { kty: 'oct', k: Buffer.alloc(32, 9).toString('base64url'), alg: 'HS256' };
    await expectBadRequest(
      body('symmetric', { private_key_jwk: oct }),
      /^private_key_jwk: is a symmetric key/,
    );
  });

  it('refuses an RSA key with an algorithm PingOne does not take', async () => {
    await expectBadRequest(
      body('pss', { private_key_jwk: { ...key.privateJwk, alg: 'PS256' } }),
      /^private_key_jwk: alg must be one PingOne accepts for private_key_jwt: RS256, RS384, RS512/,
    );
  });

  it('refuses an EC (ES256) key, which PingOne does not take for private_key_jwt', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'jwk',
    });
    await expectBadRequest(
      body('ec', { private_key_jwk: { ...ec, alg: 'ES256' } }),
      /^private_key_jwk: is an EC key/,
    );
  });

  it('refuses a private key with a secret method', async () => {
    await expectBadRequest(
      body('wrong-method', {
        token_auth_method: 'client_secret_post',
        client_secret: SECRET_A,
      }),
      /^private_key_jwk: is used only with token_auth_method private_key_jwt, not client_secret_post/,
    );
  });

  it('refuses private_key_jwt without a private key', async () => {
    await expectBadRequest(
      body('no-key', { private_key_jwk: undefined }),
      /^private_key_jwk: is required with private_key_jwt/,
    );
  });

  it('refuses a client secret with private_key_jwt', async () => {
    await expectBadRequest(
      body('both', { client_secret: SECRET_A }),
      /^client_secret: is not used with private_key_jwt/,
    );
  });

  it('quotes no part of the key in its message', async () => {
    server.outgoing.length = 0;
    const broken = { ...key.privateJwk, n: key.privateJwk.n.slice(0, 40) };
    const answer = await call('POST', '/integrations', body('broken', { private_key_jwk: broken }));
    expect(answer.status).toBe(400);
    const { error } = answer.json() as unknown as ErrorResponse;
    expect(error.message).toMatch(/^private_key_jwk: /);
    expect(error.message).not.toContain(key.privateJwk.d.slice(0, 16));
    expect(error.message).not.toContain(key.privateJwk.q.slice(0, 16));
  });
});

describe('PATCH /integrations/:id and the private key', () => {
  it('refuses a private key for an integration that stays on a secret method', async () => {
    const answer = await call('PATCH', '/integrations/acme', {
      token_auth_method: 'client_secret_basic',
      private_key_jwk: key.privateJwk,
    });
    expect(answer.status).toBe(400);
    expect((answer.json() as unknown as ErrorResponse).error.message).toMatch(
      /^private_key_jwk: is used only with token_auth_method private_key_jwt, not client_secret_basic/,
    );
  });

  it('refuses switching to a secret method without a client secret', async () => {
    const answer = await call('PATCH', '/integrations/acme', {
      token_auth_method: 'client_secret_post',
    });
    expect(answer.status).toBe(400);
    expect((answer.json() as unknown as ErrorResponse).error.message).toMatch(
      /^client_secret: is required to switch from private_key_jwt to client_secret_post/,
    );
  });

  it('refuses a new key PingOne does not hold, and keeps the old one', async () => {
    const stranger = generateSigningKey();
    const refused = await call('PATCH', '/integrations/acme', {
      private_key_jwk: stranger.privateJwk,
    });
    expect(refused.status).toBe(422);
    expect((await call('GET', '/integrations/acme')).json()).toMatchObject({
      signing_key: { kid: key.kid },
    });
  });

  it('rotates to a new key PingOne holds: rechecked, answered by its public half, used next', async () => {
    const patched = await call('PATCH', '/integrations/acme', {
      private_key_jwk: rotated.privateJwk,
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      signing_key: { kid: rotated.kid, alg: 'RS384', jwks: { keys: [rotated.publicJwk] } },
      preflight: { ok: true },
    });
    const id = await connectTenant(server, emulator, 'acme', 'user-rotated');
    expect((await call('GET', `/connections/${id}?refresh=force`)).status).toBe(200);
  });
});
