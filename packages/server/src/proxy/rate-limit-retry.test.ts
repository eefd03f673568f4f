import { DEFAULT_USER } from '@pingone-connect/emulator';
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_KEY, connectFlow, startHarness, type Harness } from '../../test/support.js';
import { recordingSleep, untilAborted, type RecordingSleep } from '../../test/sleep.js';
import { startUpstream, type RecordingUpstream } from '../../test/upstream.js';
import { rateLimitDecision, retryAfterMs } from './rate-limit-retry.js';

const POLICY = { retries: 2, maxWaitMs: 10_000 };

async function connect(harness: Harness): Promise<string> {
  const { posted } = await connectFlow(harness);
  if (!posted.message?.ok) throw new Error('the flow did not succeed');
  return posted.message.connection_id;
}

async function proxy(
  harness: Harness,
  connectionId: string,
  path: string,
  init: { method?: string; body?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  return await harness.app.request(harness.url(`/proxy${path}`), {
    ...init,
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'connection-id': connectionId },
  });
}

/** The operations log of a connection, oldest first. */
async function journalOf(harness: Harness, connectionId: string) {
  const entries = await harness.store.journal.list({ connectionId, limit: 100 });
  return entries.reverse();
}

/** PingOne's rate-limit answer (https://developer.pingidentity.com/pingone-api/platform/rate-limiting.html). */
function rateLimited(response: ServerResponse, retryAfter?: string): void {
  response
    .writeHead(429, {
      'content-type': 'application/json',
      ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
    })
    .end('{"id":"c0ffee","code":"REQUEST_LIMITED","message":"Too many requests."}');
}

describe('Retry-After', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('reads whole seconds', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('0', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:03 GMT', now)).toBe(3000);
  });

  it('asks for no wait for an HTTP-date already past', () => {
    expect(retryAfterMs('Mon, 31 Dec 2029 23:59:00 GMT', now)).toBe(0);
  });

  it.each([null, '', '1.5', '-1', 'soon', '2030-01-01T00:00:03Z'])(
    'treats %j as no Retry-After',
    (value) => {
      expect(retryAfterMs(value, now)).toBeNull();
    },
  );

  it.each(['POST', 'PATCH'])('never retries %s', (method) => {
    const decision = rateLimitDecision({
      method,
      retryAfter: '1',
      retriesDone: 0,
      policy: POLICY,
      now,
    });
    expect(decision).toEqual({ retry: false, reason: 'method' });
  });

  it.each(['GET', 'HEAD', 'PUT', 'DELETE'])('retries %s', (method) => {
    const decision = rateLimitDecision({
      method,
      retryAfter: '1',
      retriesDone: 0,
      policy: POLICY,
      now,
    });
    expect(decision).toEqual({ retry: true, waitMs: 1000 });
  });

  it('waits exactly the bound, not a millisecond more', () => {
    const decide = (retryAfter: string) =>
      rateLimitDecision({ method: 'GET', retryAfter, retriesDone: 0, policy: POLICY, now });
    expect(decide('10')).toEqual({ retry: true, waitMs: 10_000 });
    expect(decide('11')).toEqual({ retry: false, reason: 'too_long' });
  });
});

describe('the proxy waiting out the emulator’s 429', () => {
  let harness: Harness;
  let connectionId: string;
  const clock: RecordingSleep = recordingSleep();

  beforeAll(async () => {
    harness = await startHarness({ app: { sleep: clock.sleep } });
    connectionId = await connect(harness);
  });
  afterAll(() => harness?.close());
  afterEach(() => {
    harness.emulator.faults.apiRateLimit = null;
    clock.reset();
  });

  it('retries a GET after Retry-After and answers what PingOne answers then', async () => {
    harness.emulator.faults.apiRateLimit = { retryAfter: 3 };
    // PingOne's limit lifts while the proxy waits.
    clock.script(async () => {
      harness.emulator.faults.apiRateLimit = null;
    });
    const path = `/v1/environments/${harness.emulator.environmentId}/users/${DEFAULT_USER.id}`;
    const response = await proxy(harness, connectionId, path);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: DEFAULT_USER.id });
    expect(clock.waits).toEqual([3000]);
    const entries = await journalOf(harness, connectionId);
    expect(entries.filter((entry) => entry.event.startsWith('proxy.'))).toMatchObject([
      { event: 'proxy.retry', level: 'warn', data: { method: 'GET', attempt: 1, wait_ms: 3000 } },
      { event: 'proxy.request', data: { status: 200, rate_limit_retries: 1 } },
    ]);
  });

  it('passes the last 429 through with its Retry-After once the retries are used up', async () => {
    harness.emulator.faults.apiRateLimit = { retryAfter: 7 };
    const response = await proxy(harness, connectionId, '/v1/environments');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ code: 'REQUEST_LIMITED' });
    expect(clock.waits).toEqual([7000, 7000]);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(0);
  });
});

describe('the proxy retrying a scripted PingOne’s 429', () => {
  let upstream: RecordingUpstream;
  let harness: Harness;
  let connectionId: string;
  const clock: RecordingSleep = recordingSleep();

  beforeAll(async () => {
    upstream = await startUpstream();
    harness = await startHarness({
      env: { PINGONE_API_BASE_URL: upstream.url, PROXY_RETRY_MAX_WAIT_MS: '5000' },
      app: { sleep: clock.sleep },
    });
    connectionId = await connect(harness);
  });
  afterAll(async () => {
    await harness?.close();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.reset();
    clock.reset();
  });

  it('sends the same body again when it retries a PUT', async () => {
    let calls = 0;
    upstream.respond((_, response) => {
      calls += 1;
      if (calls === 1) rateLimited(response, '1');
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const body = JSON.stringify({ name: { given: 'Ada' } });
    const response = await proxy(harness, connectionId, '/v1/environments/e/users/u', {
      method: 'PUT',
      body,
    });
    expect(response.status).toBe(200);
    expect(upstream.requests.map((request) => request.body.toString('utf8'))).toEqual([body, body]);
    expect(clock.waits).toEqual([1000]);
  });

  it.each(['POST', 'PATCH'])('does not retry a %s after a 429', async (method) => {
    upstream.respond((_, response) => rateLimited(response, '1'));
    const response = await proxy(harness, connectionId, '/v1/environments/e/users', {
      method,
      body: '{}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(upstream.requests).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('passes a 429 through at once when Retry-After exceeds PROXY_RETRY_MAX_WAIT_MS', async () => {
    upstream.respond((_, response) => rateLimited(response, '6'));
    const response = await proxy(harness, connectionId, '/v1/environments');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('6');
    expect(await response.json()).toMatchObject({ code: 'REQUEST_LIMITED' });
    expect(upstream.requests).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('passes a 429 without Retry-After through at once', async () => {
    upstream.respond((_, response) => rateLimited(response));
    const response = await proxy(harness, connectionId, '/v1/environments');
    expect(response.status).toBe(429);
    expect(upstream.requests).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('calls PingOne no more once the caller goes away during the wait', async () => {
    upstream.respond((_, response) => rateLimited(response, '2'));
    const caller = new AbortController();
    clock.script(async (_, signal) => {
      caller.abort();
      await untilAborted(signal);
    });
    const response = await proxy(harness, connectionId, '/v1/environments', {
      signal: caller.signal,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(clock.waits).toEqual([2000]);
    expect(upstream.requests).toHaveLength(1);
    const entries = await journalOf(harness, connectionId);
    expect(entries.at(-1)).toMatchObject({
      event: 'proxy.request',
      data: { status: 400, error_code: 'invalid_request', rate_limit_retries: 1 },
    });
  });

  it('names the API base it called on every answer it passes through', async () => {
    const response = await proxy(harness, connectionId, '/v1/environments');
    expect(response.headers.get('pingone-connect-api-base')).toBe(upstream.url);
  });
});
