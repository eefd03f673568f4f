import { gzipSync } from 'node:zlib';
import { DEFAULT_USER } from '@pingone-connect/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCipher } from '../crypto/credentials.js';
import type { StoredCredentials } from '../connections/credentials.js';
import {
  SECOND_USER,
  SECRET_KEY,
  backendGet,
  connectFlow,
  freePort,
  otherIntegration,
  startHarness,
  type Harness,
} from '../../test/support.js';
import { startUpstream, type RecordingUpstream } from '../../test/upstream.js';

/** Connects the emulator's default user and returns the connection id. */
async function connect(harness: Harness): Promise<string> {
  // Named, since with several integrations a session must say which.
  const { posted } = await connectFlow(harness, { session: { integration_id: 'pingone' } });
  if (!posted.message?.ok) throw new Error('the flow did not succeed');
  return posted.message.connection_id;
}

/** A proxied call with the secret key and `Connection-Id`. */
async function proxy(
  harness: Harness,
  connectionId: string,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  } = {},
): Promise<Response> {
  return await harness.app.request(harness.url(`/proxy${path}`), {
    ...init,
    headers: {
      authorization: `Bearer ${SECRET_KEY}`,
      'connection-id': connectionId,
      ...init.headers,
    },
  });
}

/**
 * The signed-on user's own record: what PingOne lets a Web App's self-service `p1:read:user`
 * token read (the environment list needs a role such a token never carries).
 */
function ownRecord(harness: Harness): string {
  return `/v1/environments/${harness.emulator.environmentId}/users/${DEFAULT_USER.id}`;
}

/** Asserts one of the server's own error answers (not PingOne's). */
async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error: { code } });
}

async function accessTokenOf(harness: Harness, connectionId: string): Promise<string> {
  const response = await backendGet(harness, `/connections/${connectionId}`);
  return ((await response.json()) as { credentials: StoredCredentials }).credentials.access_token;
}

/**
 * Stores an access token PingOne no longer accepts (its signature is wrong) while its expiry
 * still says it is good for an hour: what a token revoked at PingOne looks like to the server.
 */
async function spoilAccessToken(harness: Harness, connectionId: string): Promise<string> {
  const cipher = new CredentialCipher(harness.config.encryptionKeys);
  const record = await harness.store.connections.find(connectionId);
  if (!record) throw new Error('no such connection');
  const stored = JSON.parse(await cipher.decrypt(record.credentials)) as StoredCredentials;
  const [header, payload, signature = ''] = stored.access_token.split('.');
  const spoiled = `${header}.${payload}.${'A'.repeat(signature.length)}`;
  const expiresAt = harness.clock.now() + 60 * 60 * 1000;
  await harness.store.connections.upsert({
    ...record,
    credentials: await cipher.encrypt(
      JSON.stringify({ ...stored, access_token: spoiled, expires_at: expiresAt }),
    ),
    expiresAt,
    now: harness.clock.now(),
  });
  return spoiled;
}

/** The newest `proxy.request` rows of the operations log for a connection. */
async function proxyLogDetails(harness: Harness, connectionId: string) {
  const entries = await harness.store.journal.list({ connectionId, limit: 100 });
  return entries.filter((entry) => entry.event === 'proxy.request').map((entry) => entry.data);
}

describe('the proxy against the emulator’s PingOne API', () => {
  let harness: Harness;
  let connectionId: string;

  beforeAll(async () => {
    harness = await startHarness();
    connectionId = await connect(harness);
  });
  afterAll(() => harness?.close());
  beforeEach(() => harness.emulator.resetCounters());

  it('reads the signed-in user’s own record, with the quickstart’s headers', async () => {
    const response = await proxy(harness, connectionId, ownRecord(harness), {
      headers: { 'provider-config-key': 'pingone' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({
      id: DEFAULT_USER.id,
      username: DEFAULT_USER.username,
    });
    expect(harness.emulator.tokenRequests()).toBe(0);
  });

  it('passes PingOne’s 403 ACCESS_FAILED for the environment list through unchanged', async () => {
    // A Web App's self-service token carries no role, so PingOne refuses GET /v1/environments.
    const direct = await fetch(`${harness.emulator.apiBaseUrl}/v1/environments?limit=10`, {
      headers: { authorization: `Bearer ${await accessTokenOf(harness, connectionId)}` },
    });
    const response = await proxy(harness, connectionId, '/v1/environments?limit=10');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    const body = (await response.json()) as Record<string, unknown>;
    const expected = (await direct.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'id', 'message']);
    // `id` is PingOne's correlation id, new on every answer; the rest is the same.
    expect({ ...body, id: undefined }).toEqual({ ...expected, id: undefined });
    expect(body).toMatchObject({ code: 'ACCESS_FAILED' });
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(0);
  });

  it('answers HEAD with PingOne’s status and no body', async () => {
    const response = await proxy(harness, connectionId, ownRecord(harness), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('passes PingOne’s errors through untouched, status and body', async () => {
    const { environmentId } = harness.emulator;
    const response = await proxy(
      harness,
      connectionId,
      `/v1/environments/${environmentId}/users/${SECOND_USER.id}`,
    );
    expect(response.status).toBe(403);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'id', 'message']);
    expect(body).toMatchObject({ code: 'ACCESS_FAILED' });
  });

  it('refreshes once after a 401 and retries with the new token', async () => {
    const spoiled = await spoilAccessToken(harness, connectionId);
    const response = await proxy(harness, connectionId, ownRecord(harness));
    expect(response.status).toBe(200);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    const renewed = await accessTokenOf(harness, connectionId);
    expect(renewed).not.toBe(spoiled);
    expect((await proxyLogDetails(harness, connectionId))[0]).toMatchObject({
      method: 'GET',
      path: ownRecord(harness),
      status: 200,
      retried: true,
    });
  });
});

describe('the proxy against a scripted PingOne API', () => {
  let upstream: RecordingUpstream;
  let harness: Harness;
  let connectionId: string;

  beforeAll(async () => {
    upstream = await startUpstream();
    harness = await startHarness({
      env: { PINGONE_API_BASE_URL: upstream.url, PINGONE_TIMEOUT_MS: '500' },
    });
    connectionId = await connect(harness);
  });
  afterAll(async () => {
    await harness?.close();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.reset();
    harness.emulator.resetCounters();
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'forwards %s with its body and content type',
    async (method) => {
      const body = JSON.stringify({ name: { given: 'Ada' } });
      const response = await proxy(harness, connectionId, '/v1/environments/e/users/u', {
        method,
        headers: { 'content-type': 'application/vnd.pingidentity.user.import+json' },
        body,
      });
      expect(response.status).toBe(200);
      expect(upstream.requests).toMatchObject([
        {
          method,
          url: '/v1/environments/e/users/u',
          headers: { 'content-type': 'application/vnd.pingidentity.user.import+json' },
        },
      ]);
      expect(upstream.requests[0]?.body.toString('utf8')).toBe(body);
    },
  );

  it('hands a gzip answer on decoded, without its Content-Encoding and Content-Length', async () => {
    const compressed = gzipSync(JSON.stringify({ id: 'u', name: 'Ada' }));
    upstream.respond((_, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(compressed.byteLength),
      });
      response.end(compressed);
    });
    const response = await proxy(harness, connectionId, '/v1/environments/e/users/u');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.json()).toEqual({ id: 'u', name: 'Ada' });
    expect(upstream.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('streams PingOne’s answer to the caller before PingOne has finished it', async () => {
    let finish: () => void = () => {};
    upstream.respond((_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first ');
      finish = () => response.end('last');
    });
    const response = await proxy(harness, connectionId, '/v1/environments/e/users/u');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('first ');
    finish();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += decoder.decode(chunk.value);
    }
    expect(rest).toBe('last');
  });

  it('retries a 401 only once, then passes PingOne’s answer through', async () => {
    upstream.respond((_, response) => {
      response
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
        .end('{"code":"INVALID_TOKEN"}');
    });
    const response = await proxy(harness, connectionId, '/v1/environments');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 'INVALID_TOKEN' });
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    const [first, second] = upstream.requests.map((request) => request.headers.authorization);
    expect(upstream.requests).toHaveLength(2);
    expect(second).not.toBe(first);
    expect(second).toBe(`Bearer ${await accessTokenOf(harness, connectionId)}`);
  });

  it('answers provider_unavailable when PingOne does not answer in time', async () => {
    upstream.respond(() => {
      // Never answers: the server's own timeout has to end the call.
    });
    const response = await proxy(harness, connectionId, '/v1/environments');
    await expectError(response, 503, 'provider_unavailable');
    expect((await proxyLogDetails(harness, connectionId))[0]).toMatchObject({
      status: 503,
      error_code: 'provider_unavailable',
    });
  });

  it('aborts the call to PingOne when the caller goes away', async () => {
    const caller = new AbortController();
    const upstreamClosed = new Promise<void>((resolve) => {
      upstream.respond((_, response) => {
        response.on('close', () => resolve());
        caller.abort();
      });
    });
    const answer = proxy(harness, connectionId, '/v1/environments', { signal: caller.signal });
    await upstreamClosed;
    await expectError(await answer, 400, 'invalid_request');
    expect((await proxyLogDetails(harness, connectionId))[0]).toMatchObject({
      status: 400,
      error_code: 'invalid_request',
    });
  });

  it('answers missing Connection-Id with invalid_request', async () => {
    const response = await harness.app.request(harness.url('/proxy/v1/environments'), {
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    await expectError(response, 400, 'invalid_request');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers an unknown connection with connection_not_found', async () => {
    const response = await proxy(harness, 'conn_0000000000unknown000000000', '/v1/environments');
    await expectError(response, 404, 'connection_not_found');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers an unknown Provider-Config-Key with invalid_request', async () => {
    const response = await proxy(harness, connectionId, '/v1/environments', {
      headers: { 'provider-config-key': 'other' },
    });
    await expectError(response, 400, 'invalid_request');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers a wrong secret key with unauthorized, before anything else', async () => {
    const response = await harness.app.request(harness.url('/proxy/v1/../environments'), {
      headers: { authorization: `Bearer ${'x'.repeat(48)}`, 'connection-id': connectionId },
    });
    await expectError(response, 401, 'unauthorized');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('the proxy when PingOne cannot be reached', () => {
  it('answers provider_unavailable when PingOne cannot be reached', async () => {
    const harness = await startHarness({
      env: { PINGONE_API_BASE_URL: `http://127.0.0.1:${await freePort()}` },
    });
    try {
      const connectionId = await connect(harness);
      const response = await proxy(harness, connectionId, '/v1/environments');
      await expectError(response, 503, 'provider_unavailable');
    } finally {
      await harness.close();
    }
  });
});

describe('the proxy with several integrations', () => {
  let harness: Harness;
  let connectionId: string;

  beforeAll(async () => {
    harness = await startHarness({ integrations: [otherIntegration()] });
    connectionId = await connect(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('requires Provider-Config-Key', async () => {
    const response = await proxy(harness, connectionId, '/v1/environments');
    await expectError(response, 400, 'invalid_request');
  });

  it('uses the integration it names', async () => {
    const response = await proxy(harness, connectionId, ownRecord(harness), {
      headers: { 'provider-config-key': 'pingone' },
    });
    expect(response.status).toBe(200);
  });

  it('does not find a connection under another integration', async () => {
    const response = await proxy(harness, connectionId, '/v1/environments', {
      headers: { 'provider-config-key': 'other' },
    });
    await expectError(response, 404, 'connection_not_found');
  });
});

describe('the proxy over AppOptions.fetch', () => {
  it('makes its calls to PingOne through the fetch it was given, redirects unfollowed', async () => {
    const upstream = await startUpstream();
    const called: string[] = [];
    const harness = await startHarness({
      env: { PINGONE_API_BASE_URL: upstream.url },
      app: {
        fetch: (input, init) => {
          called.push(`${init?.method ?? 'GET'} ${String(input)} ${init?.redirect}`);
          return fetch(input, init);
        },
      },
    });
    try {
      const connectionId = await connect(harness);
      const response = await proxy(harness, connectionId, '/v1/environments/e/users/u');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(called).toContain(`GET ${upstream.url}/v1/environments/e/users/u manual`);
    } finally {
      await harness.close();
      await upstream.close();
    }
  });
});
