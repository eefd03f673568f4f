import { readFile } from 'node:fs/promises';
import { ERROR_CODES } from '@pingone-connect/protocol';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { CredentialCipher } from './crypto/credentials.js';
import { statusOf, type ServerErrorCode } from './errors.js';
import { createLogger } from './logger/logger.js';
import {
  CLIENT_SECRET,
  HOST_ORIGIN,
  OTHER_ORIGIN,
  PUBLIC_URL,
  SECRET_KEY,
  backendGet,
  callback,
  connectFlow,
  mint,
  postedResult,
  pollAttempt,
  postConnect,
  startAttempt,
  startHarness,
  type Harness,
} from '../test/support.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

function postedConnectionId(html: string): string {
  const { message } = postedResult(html);
  if (!message?.ok) throw new Error('the flow did not succeed');
  return message.connection_id;
}

/** A full flow, returning every secret it involved. */
async function secretsOfAFlow(): Promise<{
  connectionId: string;
  secrets: Record<string, string>;
}> {
  const { token } = await mint(harness);
  const { attemptId, authorizeUrl, cookie } = await startAttempt(harness, token);
  const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
  const stored = db.prepare('select code_verifier from attempts where id = ?').get(attemptId) as {
    code_verifier: string;
  };
  db.close();
  const verifier = await new CredentialCipher(harness.config.encryptionKeys).decrypt(
    stored.code_verifier,
  );
  const url = await harness.emulator.approve(authorizeUrl);
  const page = await callback(harness, url, cookie);
  const connectionId = postedConnectionId(await page.text());
  const connection = (await (await backendGet(harness, `/connections/${connectionId}`)).json()) as {
    credentials: { access_token: string; refresh_token: string; id_token: string };
  };
  const { access_token, refresh_token, id_token } = connection.credentials;
  return {
    connectionId,
    secrets: {
      session_token: token,
      state: authorizeUrl.searchParams.get('state') ?? '',
      code: url.searchParams.get('code') ?? '',
      code_verifier: verifier,
      binding_cookie: cookie.split('=')[1] ?? '',
      access_token,
      refresh_token,
      id_token,
      // The signature alone would still identify a token.
      access_token_signature: access_token.split('.')[2] ?? '',
      refresh_token_tail: refresh_token.slice(-24),
      client_secret: CLIENT_SECRET,
      secret_key: SECRET_KEY,
    },
  };
}

describe('§5.6 credentials are encrypted at rest; the raw database never holds a token in plain text', () => {
  it('finds no token, code, verifier or secret in the database file or its WAL', async () => {
    const { secrets } = await secretsOfAFlow();
    const files = await Promise.all(
      ['', '-wal', '-shm'].map((suffix) =>
        readFile(harness.databaseFile + suffix).catch(() => Buffer.alloc(0)),
      ),
    );
    const raw = Buffer.concat(files);
    expect(raw.length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(raw.includes(Buffer.from(value)), `${name} in the database bytes`).toBe(false);
    }
  });

  it('stores credentials as a dir/A256GCM JWE with the key id', async () => {
    const { connectionId } = await secretsOfAFlow();
    const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
    const row = db
      .prepare('select credentials from connections where id = ?')
      .get(connectionId) as {
      credentials: string;
    };
    db.close();
    const header = JSON.parse(
      Buffer.from(row.credentials.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as object;
    expect(header).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
      kid: new CredentialCipher(harness.config.encryptionKeys).currentKeyId,
    });
  });
});

describe('§5.13 no token, code, verifier, secret or session token in any log line or error message', () => {
  it('scans every log line and operations-log row of a full flow and its failures', async () => {
    const from = harness.logs.length;
    const { secrets } = await secretsOfAFlow();
    // Failures log too: a replay, a wrong cookie, and a token endpoint that refuses the client.
    const replay = await secretsOfAFlow();
    const bodies: string[] = [];
    const { token } = await mint(harness);
    bodies.push(await (await postConnect(harness, { session_token: `${token}x` })).text());
    const refused = await startHarness({
      env: { PINGONE_CLIENT_SECRET: 'wrong-secret-0123456789' },
    });
    try {
      const flow = await connectFlow(refused);
      bodies.push(flow.html);
      expect(flow.posted.message).toMatchObject({
        ok: false,
        error: { code: 'token_exchange_failed' },
      });
      const lines = [...harness.logs.slice(from), ...refused.logs].join('\n');
      const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
      const rows = JSON.stringify(db.prepare('select * from logs').all());
      db.close();
      expect(lines).toMatch(/"event":"connection\.(created|updated)"/);
      expect(rows).toContain('attempt.succeeded');
      for (const [name, value] of Object.entries({
        ...secrets,
        ...replay.secrets,
        refused: 'wrong-secret-0123456789',
      })) {
        expect(lines.includes(value), `${name} in a log line`).toBe(false);
        expect(rows.includes(value), `${name} in the operations log`).toBe(false);
        expect(
          bodies.some((body) => body.includes(value)),
          `${name} in an error page`,
        ).toBe(false);
      }
    } finally {
      await refused.close();
    }
  });

  it('does not take a client-supplied X-Request-Id into its log lines', async () => {
    const forged = 'forged-request-id-0001';
    const from = harness.logs.length;
    const response = await harness.app.request('/connections', {
      headers: { 'x-request-id': forged },
    });
    expect(response.status).toBe(401);
    const own = response.headers.get('x-request-id');
    expect(own).not.toBe(forged);
    const lines = harness.logs.slice(from);
    expect(lines.join('\n')).not.toContain(forged);
    expect(lines.map((line) => (JSON.parse(line) as { request_id?: string }).request_id)).toEqual([
      own,
    ]);
  });

  it('never logs the callback’s query string', async () => {
    const { token } = await mint(harness);
    const attempt = await startAttempt(harness, token, HOST_ORIGIN);
    const url = await harness.emulator.approve(attempt.authorizeUrl);
    const from = harness.logs.length;
    await callback(harness, url, attempt.cookie);
    const lines = harness.logs.slice(from).join('\n');
    expect(lines).toContain('"path":"/oauth/callback"');
    expect(lines).not.toContain('code=');
    expect(lines).not.toContain('state=');
  });
});

describe('§5.7 secret keys are compared in constant time; unknown and wrong keys answer alike', () => {
  const attempts: Record<string, Record<string, string>> = {
    missing: {},
    empty: { authorization: 'Bearer ' },
    wrong: { authorization: `Bearer ${'x'.repeat(SECRET_KEY.length)}` },
    prefix: { authorization: `Bearer ${SECRET_KEY.slice(0, -1)}` },
    longer: { authorization: `Bearer ${SECRET_KEY}x` },
    basic: { authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}` },
    'session token': { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' },
  };

  it('answers a missing, wrong, truncated or extended key with the same 401', async () => {
    const answers = await Promise.all(
      Object.values(attempts).map(async (headers) => {
        const response = await harness.app.request('/connections', { headers });
        return {
          status: response.status,
          challenge: response.headers.get('www-authenticate'),
          body: await response.text(),
        };
      }),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toEqual({
      status: 401,
      challenge: 'Bearer realm="pingone-connect"',
      body: JSON.stringify({
        error: { code: 'unauthorized', message: 'A valid secret key is required.' },
      }),
    });
  });

  it('accepts every key of SECRET_KEYS, so keys can rotate', async () => {
    const next = 'sk_next_abcdefghijklmnopqrstuvwxyz0123456789';
    const config = { ...harness.config, secretKeys: [next, SECRET_KEY] };
    const app = createApp(config, harness.store, { logger: createLogger({ sink: () => {} }) });
    for (const key of [next, SECRET_KEY]) {
      const response = await app.request('/connections', {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
    }
  });
});

describe('§5.8 CORS only for browser-facing endpoints and only for allowed origins', () => {
  const preflight = (path: string, origin: string) =>
    harness.app.request(path, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

  it('answers the attempt-polling preflight for an allowed origin', async () => {
    const response = await preflight('/connect/attempts/att_anything_1', HOST_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(HOST_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toBe(
      'authorization',
    );
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives no CORS grant to an origin outside ALLOWED_ORIGINS', async () => {
    const response = await preflight(
      '/connect/attempts/att_anything_1',
      'https://attacker.example',
    );
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const { token } = await mint(harness);
    const poll = await harness.app.request('/connect/attempts/att_anything_1', {
      headers: { authorization: `Bearer ${token}`, origin: 'https://attacker.example' },
    });
    expect(poll.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('grants the polling response to the session’s origin, varying on Origin', async () => {
    const { token } = await mint(harness);
    const attempt = await startAttempt(harness, token);
    const poll = await harness.app.request(`/connect/attempts/${attempt.attemptId}`, {
      headers: { authorization: `Bearer ${token}`, origin: HOST_ORIGIN },
    });
    expect(poll.status).toBe(200);
    expect(await poll.json()).toEqual({ status: 'pending' });
    expect(poll.headers.get('access-control-allow-origin')).toBe(HOST_ORIGIN);
    expect(poll.headers.get('vary')).toMatch(/origin/i);
  });

  it('refuses polling from an allowed origin the session does not name with forbidden_origin', async () => {
    const { token } = await mint(harness, { allowed_origins: [HOST_ORIGIN] });
    const attempt = await startAttempt(harness, token);
    const poll = await harness.app.request(`/connect/attempts/${attempt.attemptId}`, {
      headers: { authorization: `Bearer ${token}`, origin: OTHER_ORIGIN },
    });
    expect(poll.status).toBe(403);
    expect(await poll.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('sends no CORS headers on backend or popup endpoints, even to an allowed origin', async () => {
    const requests: [string, RequestInit][] = [
      [
        '/connect/sessions',
        {
          method: 'OPTIONS',
          headers: { origin: HOST_ORIGIN, 'access-control-request-method': 'POST' },
        },
      ],
      ['/connections', { headers: { origin: HOST_ORIGIN, authorization: `Bearer ${SECRET_KEY}` } }],
      [
        '/connections/conn_x',
        {
          method: 'OPTIONS',
          headers: { origin: HOST_ORIGIN, 'access-control-request-method': 'GET' },
        },
      ],
      [
        '/oauth/connect',
        {
          method: 'OPTIONS',
          headers: { origin: HOST_ORIGIN, 'access-control-request-method': 'POST' },
        },
      ],
      ['/healthz', { headers: { origin: HOST_ORIGIN } }],
    ];
    for (const [path, init] of requests) {
      const response = await harness.app.request(path, init);
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});

describe('§5.8 attempt polling belongs to the session that started the attempt', () => {
  it('answers another session’s attempt with invalid_request', async () => {
    const mine = await mint(harness);
    const attempt = await startAttempt(harness, mine.token);
    const other = await mint(harness);
    const poll = await pollAttempt(harness, attempt.attemptId, other.token);
    expect(poll.status).toBe(400);
  });

  it('answers a missing or invalid bearer with 401 session_invalid', async () => {
    const anonymous = await harness.app.request('/connect/attempts/att_anything_1');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'session_invalid' } });
    const forged = await harness.app.request('/connect/attempts/att_anything_1', {
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    });
    expect(forged.status).toBe(401);
  });

  it('lets a consumed session read its own attempt until it expires', async () => {
    const flow = await connectFlow(harness);
    const poll = await pollAttempt(harness, flow.attempt.attemptId, flow.token);
    expect(await poll.json()).toMatchObject({ status: 'success' });
    harness.clock.advance(601_000);
    const expired = await harness.app.request(`/connect/attempts/${flow.attempt.attemptId}`, {
      headers: { authorization: `Bearer ${flow.token}` },
    });
    expect(await expired.json()).toMatchObject({ error: { code: 'session_expired' } });
  });
});

describe('§5.11 every endpoint validates input and answers bad input with a 4xx and a code', () => {
  const postSession = (body: string, contentType = 'application/json') =>
    harness.app.request('/connect/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': contentType },
      body,
    });

  it.each([
    ['no end user', '{}'],
    ['an empty end user id', '{"end_user":{"id":""}}'],
    ['an unknown field', '{"end_user":{"id":"u"},"admin":true}'],
    ['a bad email', '{"end_user":{"id":"u","email":"not-an-email"}}'],
    ['malformed JSON', '{"end_user":'],
    ['a JSON array', '[]'],
    ['scopes without openid', '{"end_user":{"id":"u"},"scopes":["profile"]}'],
    [
      'a scope the integration does not allow',
      '{"end_user":{"id":"u"},"scopes":["openid","p1:delete:everything"]}',
    ],
  ])('refuses a session with %s as invalid_request', async (_, body) => {
    const response = await postSession(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('refuses a session for an unknown integration with integration_not_found', async () => {
    const response = await postSession('{"end_user":{"id":"u"},"integration_id":"nope"}');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'integration_not_found' } });
  });

  it('refuses a session body that is not JSON', async () => {
    const response = await postSession('end_user=u', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
  });

  it('refuses origins outside ALLOWED_ORIGINS with forbidden_origin', async () => {
    const response = await postSession(
      '{"end_user":{"id":"u"},"allowed_origins":["https://attacker.example"]}',
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('refuses a reconnect of a connection that is not the end user’s with connection_not_found', async () => {
    const response = await postSession('{"end_user":{"id":"u"},"connection_id":"conn_nope"}');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });
  });

  it('refuses a body over 64 KiB with invalid_request', async () => {
    const response = await postSession(
      JSON.stringify({ end_user: { id: 'u', display_name: 'x'.repeat(70_000) } }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('refuses a connect form from another origin than it claims with forbidden_origin', async () => {
    const { token } = await mint(harness);
    const response = await postConnect(
      harness,
      { session_token: token, origin: HOST_ORIGIN },
      { origin: 'https://attacker.example' },
    );
    expect(response.status).toBe(403);
    // The claimed origin is allowed but unconfirmed: nothing is posted anywhere.
    expect(await response.text()).not.toContain('postMessage');
  });

  it('refuses a connect form for an origin the session does not allow with forbidden_origin', async () => {
    const { token } = await mint(harness, { allowed_origins: [HOST_ORIGIN] });
    const response = await postConnect(
      harness,
      { session_token: token, origin: OTHER_ORIGIN },
      { origin: OTHER_ORIGIN },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('"code":"forbidden_origin"');
  });

  it('refuses an attempt id used twice', async () => {
    const { token } = await mint(harness);
    const first = await postConnect(
      harness,
      { session_token: token, attempt_id: 'att_twice_00001' },
      { origin: HOST_ORIGIN },
    );
    expect(first.status).toBe(303);
    const second = await postConnect(
      harness,
      { session_token: token, attempt_id: 'att_twice_00001' },
      { origin: HOST_ORIGIN },
    );
    expect(second.status).toBe(400);
  });

  it('answers 1,000 malformed requests across every endpoint with a coded 4xx, never a 5xx', async () => {
    const { token } = await mint(harness);
    const { connect_link: link } = (await (
      await postSession('{"end_user":{"id":"u"},"link":{}}')
    ).json()) as { connect_link: string };
    const paths = [
      new URL(link).pathname,
      '/connect/links',
      '/connect/links/link_x.y',
      '/connect/sessions',
      '/connect/sessions/sess_x',
      '/oauth/connect',
      '/oauth/callback',
      '/connect/attempts/att_0123456789',
      '/connections',
      '/connections/conn_x',
      '/logs',
      '/integrations',
      '/integrations/pingone',
      '/integrations/never-made',
      '/integrations/pingone/preflight',
      '/proxy/v1/environments',
      '/healthz',
      '/nope',
    ];
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', '%', '%00', '../..', '{"a":', 'null'),
    );
    const request = fc.record({
      path: fc.constantFrom(...paths),
      suffix: fc.oneof(
        fc.constant(''),
        text.map((value) => `/${encodeURIComponent(value)}`),
      ),
      query: fc.dictionary(
        fc.constantFrom(
          'state',
          'code',
          'iss',
          'error',
          'cursor',
          'limit',
          'end_user_id',
          'connection_id',
          'attempt_id',
          'delete_connections',
          'x',
        ),
        text,
        { maxKeys: 4 },
      ),
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'),
      auth: fc.constantFrom(
        undefined,
        `Bearer ${SECRET_KEY}`,
        `Bearer ${token}`,
        'Bearer x',
        'Basic x',
      ),
      contentType: fc.constantFrom(
        undefined,
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/plain',
      ),
      body: fc.oneof(
        text,
        fc.json(),
        // Shaped like an integration, so that validation gets past the first field.
        fc
          .record(
            {
              id: fc.oneof(fc.constant('tenant-x'), text),
              environment_id: text,
              region: fc.oneof(fc.constant('eu'), text),
              custom_domain: text,
              auth_base_url: fc.oneof(fc.constant('http://127.0.0.1:9/as'), text),
              api_base_url: text,
              client_id: text,
              client_secret: text,
              display_name: fc.oneof(fc.constant(null), text),
              scopes: fc.array(fc.oneof(fc.constant('openid'), text)),
            },
            { requiredKeys: [] },
          )
          .map((record) => JSON.stringify(record)),
        fc
          .dictionary(
            fc.constantFrom('session_token', 'attempt_id', 'origin', 'return_to', 'end_user'),
            fc.oneof(text, fc.constant(token), fc.constant(HOST_ORIGIN)),
          )
          .map((d) => new URLSearchParams(d).toString()),
        // A session with a link, so that validation gets past the end user.
        fc
          .record(
            {
              end_user: fc.constant({ id: 'u' }),
              link: fc.oneof(
                text,
                fc.record(
                  {
                    expires_in: fc.oneof(fc.integer(), fc.double(), text),
                    return_url: fc.oneof(fc.constant(`${HOST_ORIGIN}/back`), fc.webUrl(), text),
                  },
                  { requiredKeys: [] },
                ),
              ),
            },
            { requiredKeys: ['end_user'] },
          )
          .map((record) => JSON.stringify(record)),
      ),
      cookie: fc.option(
        text.map((value) => `pingone-connect-binding=${encodeURIComponent(value)}`),
      ),
      // The proxy's own headers; no connection of this name exists, so nothing reaches PingOne.
      connectionId: fc.option(fc.oneof(fc.constant('conn_x'), text.map(encodeURIComponent))),
      providerConfigKey: fc.option(fc.oneof(fc.constant('pingone'), text.map(encodeURIComponent))),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url = new URL(`${PUBLIC_URL}${r.path}${r.suffix}`);
        for (const [name, value] of Object.entries(r.query)) url.searchParams.set(name, value);
        const headers: Record<string, string> = {};
        if (r.auth) headers.authorization = r.auth;
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.cookie) headers.cookie = r.cookie;
        if (r.connectionId !== null) headers['connection-id'] = r.connectionId;
        if (r.providerConfigKey !== null) headers['provider-config-key'] = r.providerConfigKey;
        const hasBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method);
        const response = await harness.app.request(url.toString(), {
          method: r.method,
          headers,
          ...(hasBody ? { body: r.body } : {}),
        });
        expect(response.status, `${r.method} ${url.pathname}`).toBeLessThan(500);
        const body = await response.text();
        expect(body).not.toMatch(/\bat .+\.(ts|js):\d+/);
        if (response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
          const parsed = JSON.parse(body) as { error: { code: string; message: string } };
          expect(ERROR_CODES).toContain(parsed.error.code);
          // One HTTP status per code: a client may branch on either.
          expect(response.status).toBe(statusOf(parsed.error.code as ServerErrorCode));
          expect(typeof parsed.error.message).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('§5.12 rate limits on /oauth/* and attempt polling', () => {
  let limited: Harness;
  let peers = 0;
  /** A fresh client address: each test is its own client. */
  const peer = () => ({ 'x-test-peer': `10.0.0.${(peers += 1)}` });
  beforeAll(async () => {
    limited = await startHarness({
      env: { RATE_LIMIT_OAUTH_PER_MINUTE: '3', RATE_LIMIT_POLL_PER_MINUTE: '3' },
      app: { clientAddress: (c) => c.req.header('x-test-peer') },
    });
  });
  afterAll(() => limited.close());

  it('limits /oauth/* per client and lets it through again as time passes', async () => {
    const client = peer();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (await postConnect(limited, { session_token: 'x' }, { origin: HOST_ORIGIN, ...client }))
          .status,
      );
    }
    const callbackUrl = `${PUBLIC_URL}/oauth/callback?state=x`;
    const over = await limited.app.request(callbackUrl, { headers: client });
    expect([...statuses, over.status]).toEqual([401, 401, 401, 429]);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(over.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await over.text()).toContain('<code>rate_limited</code>');
    // Another client is not affected.
    expect((await limited.app.request(callbackUrl, { headers: peer() })).status).toBe(400);
    limited.clock.advance(20_000);
    expect((await limited.app.request(callbackUrl, { headers: client })).status).toBe(400);
  });

  it('limits attempt polling per client with a JSON rate_limited', async () => {
    const client = peer();
    const { token } = await mint(limited);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await limited.app.request('/connect/attempts/att_anything_1', {
        headers: { authorization: `Bearer ${token}`, ...client },
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });
      }
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  it('does not limit the backend endpoints', async () => {
    for (let i = 0; i < 5; i += 1)
      expect((await backendGet(limited, '/connections')).status).toBe(200);
  });
});
