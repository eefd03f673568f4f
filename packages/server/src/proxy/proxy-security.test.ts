import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger/logger.js';
import { serve, type RunningServer } from '../node.js';
import {
  SECRET_KEY,
  backendGet,
  connectFlow,
  otherIntegration,
  startHarness,
  type Harness,
} from '../../test/support.js';
import { MAX_PROXY_BODY_BYTES } from './request-body.js';
import {
  rawRequest,
  startUpstream,
  type RawAnswer,
  type RecordingUpstream,
} from '../../test/upstream.js';

let upstream: RecordingUpstream;
let harness: Harness;
let server: RunningServer;
let connectionId: string;
let accessToken: string;

beforeAll(async () => {
  upstream = await startUpstream();
  harness = await startHarness({ env: { PINGONE_API_BASE_URL: `${upstream.url}/api` } });
  // The Node entry itself, on the harness's database: raw request targets reach it unnormalized.
  server = await serve(
    { ...harness.config, port: 0 },
    { logger: createLogger({ sink: () => {} }), clock: harness.clock.now, signals: [] },
  );
  const { posted } = await connectFlow(harness);
  if (!posted.message?.ok) throw new Error('the flow did not succeed');
  connectionId = posted.message.connection_id;
  const connection = (await (await backendGet(harness, `/connections/${connectionId}`)).json()) as {
    credentials: { access_token: string };
  };
  accessToken = connection.credentials.access_token;
});

afterAll(async () => {
  await server?.close();
  await harness?.close();
  await upstream?.close();
});

beforeEach(() => {
  upstream.reset();
  harness.emulator.resetCounters();
});

/** Far enough ahead of the server's clock that the connection's access token is due for refresh. */
const TOKEN_DUE_MS = 2 * 60 * 60 * 1000;

/** The headers every proxied call needs. */
const auth = () => ({ authorization: `Bearer ${SECRET_KEY}`, 'connection-id': connectionId });

function proxy(target: string, options: Parameters<typeof rawRequest>[2] = {}): Promise<RawAnswer> {
  return rawRequest(server.url, target, { ...options, headers: { ...auth(), ...options.headers } });
}

/** Asserts a refusal that reached neither the PingOne API nor its token endpoint. */
function expectRefusedUpstreamUntouched(answer: RawAnswer, status = 400): void {
  expect(answer.status).toBe(status);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'invalid_request' } });
  expect(upstream.requests).toHaveLength(0);
  expect(harness.emulator.tokenRequests()).toBe(0);
}

describe('§5.10 proxy: the upstream origin is fixed per integration', () => {
  it('appends the path and query, as sent, to the integration’s API base', async () => {
    const answer = await proxy('/proxy/v1/environments?limit=10&filter=name%20sw%20%22a%22');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true });
    expect(upstream.requests.map((request) => request.url)).toEqual([
      '/api/v1/environments?limit=10&filter=name%20sw%20%22a%22',
    ]);
  });

  it('ignores the Host the caller sends', async () => {
    const answer = await proxy('/proxy/v1/environments', { headers: { host: 'evil.example' } });
    expect(answer.status).toBe(200);
    expect(upstream.requests[0]?.headers.host).toBe(new URL(upstream.url).host);
  });

  it('returns an upstream redirect instead of following it', async () => {
    const elsewhere = await startUpstream();
    try {
      upstream.respond((_, response) => {
        response.writeHead(302, { location: `${elsewhere.url}/collect` }).end();
      });
      const answer = await proxy('/proxy/v1/environments');
      expect(answer.status).toBe(302);
      expect(answer.headers.location).toBe(`${elsewhere.url}/collect`);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('§5.10 proxy: absolute URLs, "..", encoded traversal and //host are refused', () => {
  it.each([
    ['a raw .. segment', '/proxy/v1/../v1/environments'],
    ['a raw . segment', '/proxy/./v1/environments'],
    ['a trailing .. segment', '/proxy/v1/environments/..'],
    ['an encoded .. segment', '/proxy/v1/%2e%2e/v1/environments'],
    ['an upper-case encoded .. segment', '/proxy/v1/%2E%2E/v1/environments'],
    ['a half-encoded .. segment', '/proxy/v1/.%2e/v1/environments'],
    ['an encoded . segment', '/proxy/%2e/v1/environments'],
    ['a double-encoded .. segment', '/proxy/v1/%252e%252e/v1/environments'],
    ['an encoded slash and ..', '/proxy/v1%2f..%2fv1/environments'],
    ['an encoding nested too deep', '/proxy/v1/%2525252e%2525252e/environments'],
    ['an encoded backslash', '/proxy/v1%5c..%5cenvironments'],
    ['an upper-case encoded backslash', '/proxy/v1%5Cenvironments'],
    ['//host', '/proxy//evil.example/v1/environments'],
    ['an encoded //host', '/proxy/%2f%2fevil.example/v1/environments'],
    ['an absolute URL', '/proxy/http://evil.example/v1/environments'],
    ['an absolute URL with an encoded //', '/proxy/https:%2f%2fevil.example/v1/environments'],
    ['userinfo', '/proxy/user@evil.example/v1/environments'],
    ['an encoded NUL', '/proxy/v1/environments%00.json'],
    ['an encoded line feed', '/proxy/v1/environments%0aX-Injected:%201'],
    ['malformed percent-encoding', '/proxy/v1/%e0%a4%a/environments'],
    ['no path at all', '/proxy/'],
  ])('refuses %s with invalid_request, without any upstream request', async (_, target) => {
    expectRefusedUpstreamUntouched(await proxy(target));
  });

  // Tomcat, Spring and others drop a `;`-parameter from a segment before resolving dot
  // segments, so `..;/` is `../` to them while every URL parser here sees an ordinary name.
  it.each([
    ['a .. segment with an empty ;-parameter', '/proxy/v1/..;/v1/environments'],
    ['a .. segment with a ;-parameter', '/proxy/v1/..;jsessionid=x/v1/environments'],
    ['a . segment with a ;-parameter', '/proxy/.;/v1/environments'],
    ['a trailing .. segment with a ;-parameter', '/proxy/v1/environments/..;'],
    ['an encoded .. segment with a ;-parameter', '/proxy/v1/%2e%2e;/v1/environments'],
    ['an encoded .. segment with an encoded ;', '/proxy/v1/%2E%2E%3B/v1/environments'],
    ['an encoded .. segment with an encoded ;-parameter', '/proxy/v1/%2e%2e%3bx=1/environments'],
    ['a half-encoded .. segment with a ;-parameter', '/proxy/v1/.%2e;x/v1/environments'],
    ['a double-encoded .. segment with a ;', '/proxy/v1/%252e%252e%253b/v1/environments'],
    ['a .. segment behind an encoded slash, with a ;', '/proxy/v1%2f..;%2fv1/environments'],
  ])(
    'refuses %s with invalid_request, without any upstream request or refresh',
    async (_, target) => {
      // With the access token due, a call let through would refresh it first.
      harness.clock.advance(TOKEN_DUE_MS);
      try {
        expectRefusedUpstreamUntouched(await proxy(target));
      } finally {
        harness.clock.advance(-TOKEN_DUE_MS);
      }
    },
  );

  it('lets ;-parameters on segments that are not dots through', async () => {
    const answer = await proxy('/proxy/v1/environments;v=1/..a;b/x.;y');
    expect(answer.status).toBe(200);
    expect(upstream.requests[0]?.url).toBe('/api/v1/environments;v=1/..a;b/x.;y');
  });

  it('refuses an absolute-form request target, without any upstream request', async () => {
    expectRefusedUpstreamUntouched(await proxy('http://evil.example/proxy/v1/environments'));
  });

  it('refuses a raw backslash, without any upstream request', async () => {
    // The Node adapter turns this one away before the app sees it; serve() gives it the error JSON.
    expectRefusedUpstreamUntouched(await proxy('/proxy/v1\\..\\environments'));
  });

  it('lets dots that are not segments through', async () => {
    const answer = await proxy('/proxy/v1/environments/a..b/.well-known/x.json');
    expect(answer.status).toBe(200);
    expect(upstream.requests[0]?.url).toBe('/api/v1/environments/a..b/.well-known/x.json');
  });
});

describe('§5.10 proxy: client Authorization, cookies and hop-by-hop headers are not forwarded', () => {
  it('sends the connection’s token instead of the caller’s secret key', async () => {
    await proxy('/proxy/v1/environments');
    const [received] = upstream.requests;
    expect(received?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(received?.rawHeaders.join('\n')).not.toContain(SECRET_KEY);
  });

  it('drops cookies, hop-by-hop headers, proxy headers and its own routing headers', async () => {
    await proxy('/proxy/v1/environments', {
      headers: {
        cookie: 'session=abc',
        connection: 'keep-alive, x-hop',
        'x-hop': 'named in Connection',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        'x-forwarded-for': '10.0.0.1',
        forwarded: 'for=10.0.0.1',
        'provider-config-key': 'pingone',
        accept: 'application/json',
        'x-correlation-id': 'abc-123',
      },
    });
    const headers = upstream.requests[0]?.headers ?? {};
    for (const name of [
      'cookie',
      'x-hop',
      'keep-alive',
      'te',
      'upgrade',
      'proxy-authorization',
      'x-forwarded-for',
      'forwarded',
      'connection-id',
      'provider-config-key',
    ]) {
      expect(headers, name).not.toHaveProperty(name);
    }
    expect(headers).toMatchObject({ accept: 'application/json', 'x-correlation-id': 'abc-123' });
  });
});

describe('§5.10 proxy: upstream set-cookie is dropped', () => {
  it('passes PingOne’s other headers back, without its cookies', async () => {
    upstream.respond((_, response) => {
      response.setHeader('set-cookie', ['ST=abc; Path=/; HttpOnly', 'other=1']);
      response.setHeader('x-upstream', 'yes');
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
    const answer = await proxy('/proxy/v1/environments');
    expect(answer.status).toBe(200);
    expect(answer.headers).not.toHaveProperty('set-cookie');
    expect(answer.headers['x-upstream']).toBe('yes');
  });
});

describe('§5.8 CORS only for browser-facing endpoints: the proxy passes no upstream CORS header', () => {
  it('drops PingOne’s Access-Control-* headers and keeps the rest', async () => {
    upstream.respond((_, response) => {
      response.setHeader('access-control-allow-origin', '*');
      response.setHeader('access-control-allow-credentials', 'true');
      response.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
      response.setHeader('access-control-allow-headers', 'Authorization, Connection-Id');
      response.setHeader('access-control-expose-headers', 'X-Secret');
      response.setHeader('access-control-max-age', '86400');
      response.setHeader('x-upstream', 'yes');
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
    const answer = await proxy('/proxy/v1/environments', {
      headers: { origin: 'https://attacker.example' },
    });
    expect(answer.status).toBe(200);
    expect(
      Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')),
    ).toEqual([]);
    expect(answer.headers['x-upstream']).toBe('yes');
  });
});

describe('§5.10 proxy: bodies are size-limited', () => {
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('forwards a body of exactly the limit, byte for byte', async () => {
    const body = Buffer.alloc(MAX_PROXY_BODY_BYTES, 'a');
    const answer = await proxy('/proxy/v1/environments', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
    expect(answer.status).toBe(200);
    const received = upstream.requests[0];
    expect(received?.method).toBe('POST');
    expect(received?.headers['content-length']).toBe(String(MAX_PROXY_BODY_BYTES));
    expect(sha256(received?.body ?? Buffer.alloc(0))).toBe(sha256(body));
  });

  it('refuses a declared length over the limit with invalid_request, without any upstream request', async () => {
    const answer = await proxy('/proxy/v1/environments', {
      method: 'POST',
      body: Buffer.alloc(MAX_PROXY_BODY_BYTES + 1, 'a'),
    });
    expectRefusedUpstreamUntouched(answer, 400);
  });

  it('refuses a chunked body that grows over the limit with invalid_request, without any upstream request', async () => {
    const answer = await proxy('/proxy/v1/environments', {
      method: 'PUT',
      headers: { 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(MAX_PROXY_BODY_BYTES + 1, 'a'),
    });
    expectRefusedUpstreamUntouched(answer, 400);
  });
});

describe('§5.14 tenant isolation: a proxy call naming another integration touches nothing', () => {
  let otherApi: RecordingUpstream;
  let tenants: Harness;
  let tenantConnection: string;

  beforeAll(async () => {
    otherApi = await startUpstream();
    tenants = await startHarness({
      // A second tenant: only its id and API base matter, no call may reach either.
      integrations: [otherIntegration(otherApi.url)],
      env: { PINGONE_API_BASE_URL: `${upstream.url}/api` },
    });
    const { posted } = await connectFlow(tenants, { session: { integration_id: 'pingone' } });
    if (!posted.message?.ok) throw new Error('the flow did not succeed');
    tenantConnection = posted.message.connection_id;
  });
  afterAll(async () => {
    await tenants?.close();
    await otherApi?.close();
  });
  beforeEach(() => {
    otherApi.reset();
    tenants.emulator.resetCounters();
  });

  it('answers connection_not_found without refreshing the connection’s due token or calling any API', async () => {
    const before = await tenants.store.connections.find(tenantConnection);
    // With the access token due, anything that read it for the call would refresh it first.
    tenants.clock.advance(TOKEN_DUE_MS);
    try {
      const response = await tenants.app.request(tenants.url('/proxy/v1/environments'), {
        headers: {
          authorization: `Bearer ${SECRET_KEY}`,
          'connection-id': tenantConnection,
          'provider-config-key': 'other',
        },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });
    } finally {
      tenants.clock.advance(-TOKEN_DUE_MS);
    }
    expect(tenants.emulator.tokenRequests(), 'token requests').toBe(0);
    expect(upstream.requests, 'requests to its own API').toHaveLength(0);
    expect(otherApi.requests, 'requests to the other tenant’s API').toHaveLength(0);
    expect(await tenants.store.connections.find(tenantConnection)).toEqual(before);
  });
});
