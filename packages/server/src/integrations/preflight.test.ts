import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '@pingone-connect/emulator';
import type { ErrorResponse, PreflightCheck } from '@pingone-connect/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ENV_A,
  SECRET_A,
  integrationBody,
  startTenantApp,
  startTenantEmulator,
  tempDir,
  type TenantApp,
} from '../../test/tenants.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let emulator: Emulator;
let server: TenantApp;

beforeAll(async () => {
  dir = await tempDir();
  emulator = await startTenantEmulator('acme', ENV_A, SECRET_A);
  server = await startTenantApp(dir.path, {
    env: { PINGONE_CUSTOM_DOMAINS: 'auth.listed.example' },
  });
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
  await dir?.remove();
});
beforeEach(() => {
  server.outgoing.length = 0;
});

/** Posts the integration and expects it refused with 422: its checks. */
async function refusedChecks(body: Record<string, unknown>): Promise<PreflightCheck[]> {
  const response = await server.call('POST', '/integrations', body);
  expect(response.status).toBe(422);
  const answer = (await response.json()) as ErrorResponse;
  expect(answer.error.code).toBe('integration_invalid');
  // Nothing was stored.
  expect((await server.call('GET', `/integrations/${String(body.id)}`)).status).toBe(404);
  return answer.error.details?.checks ?? [];
}

/** A body for the emulator's one client, under another integration id. */
const body = (id: string, secret = SECRET_A, overrides: Record<string, unknown> = {}) =>
  integrationBody(id, emulator, secret, { client_id: 'acme-client', ...overrides });

const failedCheck = (checks: PreflightCheck[]) => checks.find((check) => !check.ok);

describe('the preflight of POST /integrations (DESIGN §4.8)', () => {
  it('passes every check for a good application and says so check by check', async () => {
    const response = await server.call('POST', '/integrations', body('good'));
    expect(response.status).toBe(201);
    const created = (await response.json()) as {
      preflight: { ok: boolean; checks: PreflightCheck[] };
    };
    expect(created.preflight.ok).toBe(true);
    expect(created.preflight.checks.map((check) => [check.name, check.ok])).toEqual([
      ['discovery', true],
      ['issuer', true],
      ['endpoints', true],
      ['pkce', true],
      ['auth_method', true],
      ['client_credentials', true],
    ]);
    const rerun = await server.call('POST', '/integrations/good/preflight');
    expect(await rerun.json()).toMatchObject({ ok: true });
  });

  it('fails the client_credentials check for a wrong client secret', async () => {
    const checks = await refusedChecks(body('wrong-secret', 'not-the-secret-of-this-client'));
    expect(failedCheck(checks)).toEqual({
      name: 'client_credentials',
      ok: false,
      message: expect.stringContaining('Overview tab'),
    });
    expect(JSON.stringify(checks)).not.toContain('not-the-secret-of-this-client');
  });

  it('fails the discovery check for an environment id no PingOne serves', async () => {
    const unknown = '0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c';
    const checks = await refusedChecks(
      body('unknown-env', SECRET_A, {
        environment_id: unknown,
        auth_base_url: `${emulator.apiBaseUrl}/${unknown}/as`,
      }),
    );
    expect(failedCheck(checks)).toMatchObject({
      name: 'discovery',
      message: expect.stringContaining('environment id'),
    });
  });

  it('fails the issuer check when the discovery document names another issuer', async () => {
    // The same emulator under another host name: its document names 127.0.0.1, not localhost.
    const checks = await refusedChecks(
      body('other-issuer', SECRET_A, {
        auth_base_url: emulator.issuer.replace('127.0.0.1', 'localhost'),
      }),
    );
    expect(failedCheck(checks)).toMatchObject({ name: 'issuer' });
    // No check after it ran: the token endpoint was never called.
    expect(server.outgoing.map((request) => new URL(request.url).pathname)).toEqual([
      `/${ENV_A}/as/.well-known/openid-configuration`,
    ]);
  });

  it('refuses a custom domain the operator did not list with invalid_request, before any request', async () => {
    const response = await server.call('POST', '/integrations', {
      id: 'unlisted',
      environment_id: ENV_A,
      custom_domain: 'auth.unlisted.example',
      client_id: 'c',
      client_secret: 's',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'invalid_request',
        message: expect.stringContaining('PINGONE_CUSTOM_DOMAINS'),
      },
    });
    expect(server.outgoing).toEqual([]);
  });

  it('derives a listed custom domain’s issuer as https://{domain}/as', async () => {
    const response = await server.call('POST', '/integrations', {
      id: 'listed',
      environment_id: ENV_A,
      custom_domain: 'auth.listed.example',
      client_id: 'c',
      client_secret: 's',
    });
    // No such host here: the discovery check fails, at the derived URL and nowhere else.
    expect(response.status).toBe(422);
    expect(server.outgoing.map((request) => request.url)).toEqual([
      'https://auth.listed.example/as/.well-known/openid-configuration',
    ]);
  });

  it('refuses a redirecting discovery document without following the redirect', async () => {
    const hits: string[] = [];
    const redirecting: Server = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(302, { location: `${emulator.issuer}/.well-known/openid-configuration` });
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const { port } = redirecting.address() as AddressInfo;
    try {
      const checks = await refusedChecks(
        body('redirected', SECRET_A, {
          auth_base_url: `http://127.0.0.1:${port}/${ENV_A}/as`,
        }),
      );
      expect(failedCheck(checks)).toMatchObject({
        name: 'discovery',
        message: expect.stringContaining('redirect'),
      });
      expect(hits).toEqual([`/${ENV_A}/as/.well-known/openid-configuration`]);
      expect(server.outgoing.every((request) => request.url.includes(`:${port}/`))).toBe(true);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });
});

describe('§5.15 no request input chooses where the server connects', () => {
  let strict: TenantApp;
  let strictDir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    strictDir = await tempDir();
    strict = await startTenantApp(strictDir.path, { env: { ALLOW_LOOPBACK_PINGONE: 'false' } });
  });
  afterAll(async () => {
    await strict?.close();
    await strictDir?.remove();
  });

  it('refuses auth_base_url without ALLOW_LOOPBACK_PINGONE, before any request', async () => {
    const response = await strict.call('POST', '/integrations', body('loopback'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'invalid_request',
        message: expect.stringContaining('ALLOW_LOOPBACK_PINGONE'),
      },
    });
    expect(strict.outgoing).toEqual([]);
  });

  it.each([
    ['a non-loopback host', 'http://auth.example.com/env/as'],
    ['https on a public host', 'https://evil.example/as'],
    ['credentials in the URL', 'http://user:pass@127.0.0.1:9/as'],
    ['a query string', 'http://127.0.0.1:9/as?x=1'],
    ['another scheme', 'file:///etc/passwd'],
  ])(
    'refuses %s as auth_base_url even with ALLOW_LOOPBACK_PINGONE, before any request',
    async (_, url) => {
      const response = await server.call(
        'POST',
        '/integrations',
        body('bad-loopback', SECRET_A, { auth_base_url: url }),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
      expect(server.outgoing).toEqual([]);
    },
  );
});
