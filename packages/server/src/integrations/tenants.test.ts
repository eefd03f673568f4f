import { DEFAULT_CUSTOM_RESOURCE, type Emulator } from '@pingone-connect/emulator';
import { TestClock, signIn } from '@pingone-connect/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PUBLIC_URL, SECRET_KEY, postedResult } from '../../test/support.js';
import {
  ENV_A,
  ENV_B,
  SECRET_A,
  SECRET_B,
  connectTenant,
  integrationBody,
  startTenantApp,
  startTenantEmulator,
  tempDir,
  type TenantApp,
} from '../../test/tenants.js';

const HOUR = 60 * 60 * 1000;

let dir: Awaited<ReturnType<typeof tempDir>>;
let a: Emulator;
let b: Emulator;
let server: TenantApp;
const clock = new TestClock();

beforeAll(async () => {
  dir = await tempDir();
  [a, b] = await Promise.all([
    startTenantEmulator('acme', ENV_A, SECRET_A),
    startTenantEmulator('globex', ENV_B, SECRET_B),
  ]);
  server = await startTenantApp(dir.path, { clock });
  for (const [id, emulator, secret] of [
    ['acme', a, SECRET_A],
    ['globex', b, SECRET_B],
  ] as const) {
    const created = await server.call(
      'POST',
      '/integrations',
      integrationBody(id, emulator, secret),
    );
    if (created.status !== 201) throw new Error(`create ${id}: ${await created.text()}`);
  }
});
afterAll(async () => {
  await server?.close();
  await Promise.all([a?.close(), b?.close()]);
  await dir?.remove();
});
beforeEach(() => {
  a.resetCounters();
  b.resetCounters();
  server.outgoing.length = 0;
});

/** The emulators' signed-in user (both have the same demo user). */
const sub = () => a.users[0]?.id ?? '';

/** `GET /v1/environments/{env}/users/{sub}` through the proxy. */
async function proxiedUser(connectionId: string, integrationId: string, environmentId: string) {
  return server.app.request(`${PUBLIC_URL}/proxy/v1/environments/${environmentId}/users/${sub()}`, {
    headers: {
      authorization: `Bearer ${SECRET_KEY}`,
      'connection-id': connectionId,
      'provider-config-key': integrationId,
    },
  });
}

describe('integrations made at run time', () => {
  it('answers a created integration with its passed preflight and without its secret', async () => {
    const response = await server.call('GET', '/integrations/acme');
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      id: 'acme',
      environment_id: ENV_A,
      region: null,
      custom_domain: null,
      client_id: 'acme-client',
      source: 'api',
    });
    expect(text).not.toContain(SECRET_A);
  });

  it('connects, reads credentials and proxies for two tenants interleaved, each against its own PingOne', async () => {
    const first = await connectTenant(server, a, 'acme');
    const second = await connectTenant(server, b, 'globex');
    const third = await connectTenant(server, a, 'acme', 'user-2');
    for (const [connectionId, integrationId] of [
      [first, 'acme'],
      [second, 'globex'],
      [third, 'acme'],
    ] as const) {
      const read = await server.call('GET', `/connections/${connectionId}`);
      expect(await read.json()).toMatchObject({
        integration_id: integrationId,
        credentials: { token_type: expect.stringMatching(/bearer/i) },
      });
    }
    const fromA = await proxiedUser(first, 'acme', ENV_A);
    expect(fromA.status).toBe(200);
    expect(await fromA.json()).toMatchObject({ id: sub() });
    const fromB = await proxiedUser(second, 'globex', ENV_B);
    expect(fromB.status).toBe(200);
    // Each call went to its tenant's API only.
    const apiCalls = server.outgoing.filter((request) => request.url.includes('/v1/'));
    expect(apiCalls.map((request) => new URL(request.url).origin)).toEqual([
      a.apiBaseUrl,
      b.apiBaseUrl,
    ]);
    expect(a.tokenRequests('authorization_code')).toBe(2);
    expect(b.tokenRequests('authorization_code')).toBe(1);
  });

  it('requires integration_id in a session when the server has several', async () => {
    const response = await server.call('POST', '/connect/sessions', { end_user: { id: 'u' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('§5.14 tenant isolation: nothing of one integration is served with another’s', () => {
  /** Signs in at A and at B, then brings B's answer back to the callback with A's state. */
  async function mixUp(): Promise<ReturnType<typeof postedResult>['message']> {
    const started = await signIn(server.target(a), {
      session: { end_user: { id: 'mixer' }, integration_id: 'acme' },
    });
    const fromB = await signIn(server.target(b), {
      session: { end_user: { id: 'mixer' }, integration_id: 'globex' },
    });
    a.resetCounters();
    b.resetCounters();
    // B's code (and B's iss, when B sends one), A's state and browser cookie.
    const mixed = new URL(fromB.callbackUrl);
    mixed.searchParams.set('state', started.callbackUrl.searchParams.get('state') ?? '');
    const page = await server.app.request(mixed.toString(), {
      headers: { cookie: started.cookie },
    });
    return postedResult(await page.text()).message;
  }

  it('refuses a code from B’s PingOne that names B as issuer, brought back with A’s state, with no token request anywhere', async () => {
    b.faults.authorizationResponseIss = true;
    try {
      expect(await mixUp()).toMatchObject({ ok: false, error: { code: 'issuer_mismatch' } });
    } finally {
      b.faults.authorizationResponseIss = false;
    }
    expect(a.tokenRequests()).toBe(0);
    expect(b.tokenRequests()).toBe(0);
  });

  it('sends a code from B’s PingOne without iss, brought back with A’s state, only to A, which refuses it', async () => {
    // PingOne does not send RFC 9207's iss: the state decides the integration, and A's token
    // endpoint, with A's client, refuses B's code. Nothing reaches B and nothing is stored.
    const connections = (await server.store.connections.list({ limit: 100 })).length;
    expect(await mixUp()).toMatchObject({ ok: false, error: { code: 'token_exchange_failed' } });
    expect(a.tokenRequests('authorization_code')).toBe(1);
    expect(b.tokenRequests()).toBe(0);
    expect((await server.store.connections.list({ limit: 100 })).length).toBe(connections);
  });

  it('answers A’s connection under Provider-Config-Key B with connection_not_found: no upstream call, no refresh', async () => {
    const connectionId = await connectTenant(server, a, 'acme', 'isolated-proxy');
    const before = await server.store.connections.find(connectionId);
    a.resetCounters();
    server.outgoing.length = 0;
    // With the access token due, anything that read it for the call would refresh it first.
    clock.advance(2 * HOUR);
    try {
      const response = await proxiedUser(connectionId, 'globex', ENV_B);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });
    } finally {
      clock.advance(-2 * HOUR);
    }
    expect(server.outgoing).toEqual([]);
    expect(a.tokenRequests() + b.tokenRequests()).toBe(0);
    expect(await server.store.connections.find(connectionId)).toEqual(before);
  });

  it('sends A’s refresh and revocation to A’s PingOne only', async () => {
    // A's application again, asking for a custom resource's scope: tokens PingOne revokes.
    const custom = integrationBody('acme-custom', a, SECRET_A, {
      client_id: 'acme-client',
      scopes: ['openid', ...DEFAULT_CUSTOM_RESOURCE.scopes.slice(0, 1)],
    });
    expect((await server.call('POST', '/integrations', custom)).status).toBe(201);
    const connectionId = await connectTenant(server, a, 'acme-custom', 'isolated-refresh');
    a.resetCounters();
    server.outgoing.length = 0;
    const refreshed = await server.call('GET', `/connections/${connectionId}?refresh=force`);
    expect(refreshed.status).toBe(200);
    expect(a.tokenRequests('refresh_token')).toBe(1);
    expect(b.tokenRequests()).toBe(0);
    const deleted = await server.call('DELETE', `/connections/${connectionId}`);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ revoked: ['refresh_token', 'access_token'] });
    const origins = new Set(server.outgoing.map((request) => new URL(request.url).origin));
    expect(origins).toEqual(new Set([new URL(a.issuer).origin]));
    expect(server.outgoing.some((request) => request.url.endsWith('/revoke'))).toBe(true);
  });

  it('gets a 401 from B’s API for A’s access token', async () => {
    const connectionId = await connectTenant(server, a, 'acme', 'isolated-token');
    const read = (await (await server.call('GET', `/connections/${connectionId}`)).json()) as {
      credentials: { access_token: string };
      provider_account: { sub: string };
    };
    const response = await fetch(
      `${b.apiBaseUrl}/v1/environments/${ENV_B}/users/${read.provider_account.sub}`,
      { headers: { authorization: `Bearer ${read.credentials.access_token}` } },
    );
    expect(response.status).toBe(401);
  });
});
