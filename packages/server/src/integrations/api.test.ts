import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@pingone-connect/emulator';
import { emulatorEnv } from '@pingone-connect/testing';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENV_A,
  ENV_B,
  SECRET_A,
  SECRET_B,
  WEBHOOK_SECRET,
  connectTenant,
  integrationBody,
  startTenantApp,
  startTenantEmulator,
  tempDir,
  tenantClient,
  type TenantApp,
} from '../../test/tenants.js';

const WRONG_SECRET = 'a-wrong-secret-someone-pasted-0001';
/** Where bad-input cases point: each is refused before any request could go there. */
const NOWHERE = {
  issuer: `http://127.0.0.1:9/${ENV_A}/as`,
  apiBaseUrl: 'http://127.0.0.1:9',
  environmentId: ENV_A,
};
const bad = (id: string, overrides: Record<string, unknown> = {}) =>
  integrationBody(id, NOWHERE, 'secret', overrides);

let dir: Awaited<ReturnType<typeof tempDir>>;
let a: Emulator;
let configured: Emulator;
let server: TenantApp;
/** Every body the API answered in these tests. */
const answers: string[] = [];

/** A secret-key call whose answer is kept for the secret scan. */
async function call(method: string, path: string, body?: unknown) {
  const response = await server.call(method, path, body);
  const text = await response.text();
  answers.push(text);
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = await tempDir();
  [a, configured] = await Promise.all([
    startTenantEmulator('acme', ENV_A, SECRET_A),
    startTenantEmulator('pingone', ENV_B, SECRET_B),
  ]);
  server = await startTenantApp(dir.path, {
    env: {
      // One integration from the environment, beside those the API makes.
      ...emulatorEnv(configured, tenantClient('pingone', SECRET_B)),
      WEBHOOK_URL: 'http://127.0.0.1:9/hooks',
      WEBHOOK_SECRET,
    },
  });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([a?.close(), configured?.close()]);
  await dir?.remove();
});

describe('the integrations API', () => {
  it('lists configured and API-made integrations by id, with their source, a page at a time', async () => {
    for (const id of ['acme', 'zeta']) {
      const created = await call(
        'POST',
        '/integrations',
        integrationBody(id, a, SECRET_A, { client_id: 'acme-client' }),
      );
      expect(created.status).toBe(201);
    }
    const first = await call('GET', '/integrations?limit=2');
    expect(first.json()).toMatchObject({
      data: [
        { id: 'acme', source: 'api' },
        { id: 'pingone', source: 'config', created_at: null, environment_id: ENV_B },
      ],
      next_cursor: expect.any(String),
    });
    const cursor = String(first.json().next_cursor);
    const second = await call('GET', `/integrations?limit=2&cursor=${cursor}`);
    expect(second.json()).toEqual({
      data: [expect.objectContaining({ id: 'zeta', source: 'api' })],
      next_cursor: null,
    });
  });

  it('refuses an id that exists, configured or made through the API, with conflict', async () => {
    for (const id of ['pingone', 'acme']) {
      const response = await call(
        'POST',
        '/integrations',
        integrationBody(id, a, SECRET_A, { client_id: 'acme-client' }),
      );
      expect(response.status).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'conflict' } });
    }
  });

  it('keeps configured integrations read-only: PATCH and DELETE answer conflict', async () => {
    const patch = await call('PATCH', '/integrations/pingone', { display_name: 'Renamed' });
    expect(patch.status).toBe(409);
    expect(patch.json()).toMatchObject({ error: { code: 'conflict' } });
    const removal = await call('DELETE', '/integrations/pingone');
    expect(removal.status).toBe(409);
    expect((await call('GET', '/integrations/pingone')).json()).toMatchObject({
      display_name: null,
    });
  });

  it('changes scopes and display name without a preflight, and narrows what sessions may ask', async () => {
    server.outgoing.length = 0;
    const patched = await call('PATCH', '/integrations/zeta', {
      display_name: 'Zeta Corp',
      scopes: ['openid', 'email'],
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      display_name: 'Zeta Corp',
      scopes: ['openid', 'email'],
    });
    expect(patched.json()).not.toHaveProperty('preflight');
    expect(server.outgoing).toEqual([]);
    const session = await call('POST', '/connect/sessions', {
      end_user: { id: 'u' },
      integration_id: 'zeta',
      scopes: ['openid', 'profile'],
    });
    expect(session.status).toBe(400);
  });

  it('keeps the refresh token durations it is told, and forgets them on null', async () => {
    const created = await call(
      'POST',
      '/integrations',
      integrationBody('durations', a, SECRET_A, {
        client_id: 'acme-client',
        refresh_token_duration: 86_400,
      }),
    );
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      refresh_token_duration: 86_400,
      refresh_token_rolling_duration: null,
    });
    const patched = await call('PATCH', '/integrations/durations', {
      refresh_token_duration: null,
      refresh_token_rolling_duration: 604_800,
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      refresh_token_duration: null,
      refresh_token_rolling_duration: 604_800,
    });
    expect((await call('GET', '/integrations/durations')).json()).toMatchObject({
      refresh_token_duration: null,
      refresh_token_rolling_duration: 604_800,
    });
    expect((await call('GET', '/integrations/pingone')).json()).toMatchObject({
      refresh_token_duration: null,
      refresh_token_rolling_duration: null,
    });
  });

  it('records created, updated and deleted in the operations log', async () => {
    const created = await call(
      'POST',
      '/integrations',
      integrationBody('logged', a, SECRET_A, {
        client_id: 'acme-client',
      }),
    );
    expect(created.status).toBe(201);
    expect((await call('PATCH', '/integrations/logged', { display_name: 'L' })).status).toBe(200);
    expect((await call('DELETE', '/integrations/logged')).status).toBe(204);
    const db = new BetterSqlite3(server.config.databaseUrl.slice('sqlite:'.length), {
      readonly: true,
    });
    const events = (
      db.prepare("select event from logs where integration_id = 'logged' order by id").all() as {
        event: string;
      }[]
    ).map((row) => row.event);
    db.close();
    expect(events).toEqual(['integration.created', 'integration.updated', 'integration.deleted']);
  });

  it.each([
    ['POST', '/integrations', {}, 400, 'invalid_request'],
    ['POST', '/integrations', bad('Bad_Id'), 400, 'invalid_request'],
    ['POST', '/integrations', bad('x', { admin: true }), 400, 'invalid_request'],
    ['POST', '/integrations', bad('x', { scopes: ['profile'] }), 400, 'invalid_request'],
    [
      'POST',
      '/integrations',
      bad('x', { token_auth_method: 'private_key_jwt' }),
      400,
      'invalid_request',
    ],
    ['POST', '/integrations', bad('x', { region: 'us' }), 400, 'invalid_request'],
    ['POST', '/integrations', bad('x', { api_base_url: undefined }), 400, 'invalid_request'],
    [
      'POST',
      '/integrations',
      { id: 'x', environment_id: 'not-a-uuid', client_id: 'c', client_secret: 's' },
      400,
      'invalid_request',
    ],
    [
      'POST',
      '/integrations',
      {
        id: 'x',
        environment_id: ENV_A,
        region: 'eu',
        custom_domain: 'https://x.example',
        client_id: 'c',
        client_secret: 's',
      },
      400,
      'invalid_request',
    ],
    ['GET', '/integrations?limit=0', undefined, 400, 'invalid_request'],
    ['GET', '/integrations?cursor=%25%25', undefined, 400, 'invalid_request'],
    ['GET', '/integrations/UPPER', undefined, 400, 'invalid_request'],
    ['GET', '/integrations/never-made', undefined, 404, 'integration_not_found'],
    ['PATCH', '/integrations/acme', {}, 400, 'invalid_request'],
    ['PATCH', '/integrations/acme', { client_id: 'other' }, 400, 'invalid_request'],
    ['PATCH', '/integrations/acme', { scopes: [] }, 400, 'invalid_request'],
    ['PATCH', '/integrations/acme', { refresh_token_duration: 59 }, 400, 'invalid_request'],
    ['PATCH', '/integrations/acme', { refresh_token_duration: 2 ** 31 }, 400, 'invalid_request'],
    [
      'PATCH',
      '/integrations/acme',
      { refresh_token_rolling_duration: 1.5 },
      400,
      'invalid_request',
    ],
    ['POST', '/integrations', bad('short', { refresh_token_duration: 0 }), 400, 'invalid_request'],
    ['PATCH', '/integrations/never-made', { display_name: 'x' }, 404, 'integration_not_found'],
    ['DELETE', '/integrations/acme?delete_connections=yes', undefined, 400, 'invalid_request'],
    ['POST', '/integrations/never-made/preflight', undefined, 404, 'integration_not_found'],
  ] as const)(
    'answers %s %s with bad input %j with %i %s',
    async (method, path, body, status, code) => {
      const response = await call(method, path, body);
      expect(response.status).toBe(status);
      expect(response.json()).toMatchObject({ error: { code } });
    },
  );
});

describe('§5.13 no client secret in the database file, logs, the operations log, webhooks or answers', () => {
  it('keeps the secrets of a created, connected, checked, patched and deleted integration to itself', async () => {
    const created = await call(
      'POST',
      '/integrations',
      integrationBody('secretive', a, SECRET_A, {
        client_id: 'acme-client',
      }),
    );
    expect(created.status).toBe(201);
    await connectTenant(server, a, 'secretive', 'secret-keeper');
    expect((await call('POST', '/integrations/secretive/preflight')).status).toBe(200);
    // A refused rotation: the wrong secret went in, and must come out nowhere.
    expect(
      (await call('PATCH', '/integrations/secretive', { client_secret: WRONG_SECRET })).status,
    ).toBe(422);
    expect(
      (await call('PATCH', '/integrations/secretive', { client_secret: SECRET_A })).status,
    ).toBe(200);
    expect((await call('GET', '/logs?limit=100')).status).toBe(200);
    expect((await call('DELETE', '/integrations/secretive?delete_connections=true')).status).toBe(
      204,
    );
    expect((await call('GET', '/logs?limit=100')).status).toBe(200);

    const secrets = [SECRET_A, SECRET_B, WRONG_SECRET];
    const files = (await readdir(dir.path)).filter((name) => name.startsWith('tenants.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const bytes = await readFile(join(dir.path, name));
      for (const secret of secrets) expect(bytes.includes(secret), `${name}`).toBe(false);
    }
    const db = new BetterSqlite3(join(dir.path, 'tenants.db'), { readonly: true });
    const payloads = (
      db.prepare('select payload from webhook_outbox').all() as { payload: string }[]
    ).map((row) => row.payload);
    db.close();
    expect(payloads.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(server.logs.filter((line) => line.includes(secret))).toEqual([]);
      expect(answers.filter((text) => text.includes(secret))).toEqual([]);
      expect(payloads.filter((text) => text.includes(secret))).toEqual([]);
    }
  });
});
