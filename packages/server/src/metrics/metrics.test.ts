import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USER, type Emulator } from '@pingone-connect/emulator';
import { connectFlow } from '@pingone-connect/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger/logger.js';
import { CONNECTIONS_MAX_AGE_MS } from './metrics.js';
import { serve, type RunningServer } from '../node.js';
import { parseExposition, sampleValue, type Sample } from '../../test/prometheus.js';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { emulatorFor, serverEnv } from '../../test/server-process.js';
import {
  CLIENT_ID,
  HOST_ORIGIN,
  SECRET_KEY,
  connectFlow as harnessFlow,
  freePort,
  postedResult,
  startHarness,
  type Harness,
} from '../../test/support.js';
import { WEBHOOK_ENV } from '../../test/connections.js';

const METRICS_TOKEN = 'mt_test_0123456789abcdefghijklmnopqrstuvwxyz';
const END_USER = { id: 'end-user-4711', email: 'grace@example.com' };

async function scrape(url: string, token = METRICS_TOKEN): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
}

describe('/metrics after a connect flow, a refresh, a proxied call, a webhook and a preflight', () => {
  let dir: string;
  let emulator: Emulator;
  let receiver: Receiver;
  let server: RunningServer;
  let connectionId: string;
  let text: string;
  let samples: Sample[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-metrics-'));
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator = await emulatorFor(publicUrl);
    receiver = await startReceiver();
    server = await serve(
      loadConfig({
        ...serverEnv(port, emulator, join(dir, 'connect.db')),
        METRICS_TOKEN,
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: WEBHOOK_ENV.WEBHOOK_SECRET,
        ALLOW_LOOPBACK_PINGONE: 'true',
      }),
      { signals: [], logger: createLogger({ sink: () => {} }) },
    );
    const target = {
      fetch,
      baseUrl: publicUrl,
      emulator,
      secretKey: SECRET_KEY,
      origin: HOST_ORIGIN,
    };
    const backend = { authorization: `Bearer ${SECRET_KEY}` };

    const flow = await connectFlow(target, { session: { end_user: END_USER } });
    const { message } = postedResult(await flow.response.text());
    if (!message?.ok) throw new Error('the flow did not succeed');
    connectionId = message.connection_id;
    // The connection.created webhook: delivered, and its outcome recorded once the dispatcher
    // has stopped (stop() waits for the round in flight).
    await receiver.next();
    await server.webhooks?.stop();

    const refreshed = await fetch(`${publicUrl}/connections/${connectionId}?refresh=force`, {
      headers: backend,
    });
    expect(refreshed.status).toBe(200);
    await refreshed.body?.cancel();

    const proxied = await fetch(
      `${publicUrl}/proxy/v1/environments/${emulator.environmentId}/users/${DEFAULT_USER.id}`,
      { headers: { ...backend, 'connection-id': connectionId } },
    );
    expect(proxied.status).toBe(200);
    await proxied.body?.cancel();

    // A client secret PingOne refuses: the preflight's client_credentials check fails.
    const refused = await fetch(`${publicUrl}/integrations`, {
      method: 'POST',
      headers: { ...backend, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'refused',
        environment_id: emulator.environmentId,
        auth_base_url: emulator.issuer,
        api_base_url: emulator.apiBaseUrl,
        client_id: CLIENT_ID,
        client_secret: 'not-the-secret-0123456789',
      }),
    });
    expect(refused.status).toBe(422);
    await refused.body?.cancel();

    const response = await scrape(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await response.text();
    samples = parseExposition(text);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts the connect flow as connected', () => {
    expect(
      sampleValue(samples, 'pingone_connect_connect_flows_total', {
        integration: 'pingone',
        outcome: 'connected',
      }),
    ).toBe(1);
  });

  it('counts the forced refresh as refreshed', () => {
    expect(
      sampleValue(samples, 'pingone_connect_refreshes_total', {
        integration: 'pingone',
        outcome: 'refreshed',
      }),
    ).toBe(1);
  });

  it('puts the proxied call in the 2xx series of the duration histogram', () => {
    const labels = { integration: 'pingone', status_class: '2xx' };
    expect(
      sampleValue(samples, 'pingone_connect_proxy_request_duration_seconds_count', labels),
    ).toBe(1);
    expect(
      sampleValue(samples, 'pingone_connect_proxy_request_duration_seconds_bucket', {
        ...labels,
        le: '+Inf',
      }),
    ).toBe(1);
  });

  it('counts the webhook delivery as delivered and leaves nothing in the outbox', () => {
    expect(
      sampleValue(samples, 'pingone_connect_webhook_deliveries_total', { outcome: 'delivered' }),
    ).toBe(1);
    expect(sampleValue(samples, 'pingone_connect_outbox_depth')).toBe(0);
    expect(sampleValue(samples, 'pingone_connect_outbox_oldest_age_seconds')).toBe(0);
  });

  it('counts the failed preflight by the check that failed', () => {
    expect(
      sampleValue(samples, 'pingone_connect_preflight_failures_total', {
        check: 'client_credentials',
      }),
    ).toBe(1);
  });

  it('shows the connection as active under its integration', () => {
    expect(
      sampleValue(samples, 'pingone_connect_connections', {
        integration: 'pingone',
        status: 'active',
      }),
    ).toBe(1);
  });

  it('includes the process metrics', () => {
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('names no end user, connection, subject or email anywhere in the output', () => {
    for (const secretish of [END_USER.id, END_USER.email, connectionId, DEFAULT_USER.id]) {
      expect(text).not.toContain(secretish);
    }
    const ours = samples.filter((sample) => sample.name.startsWith('pingone_connect_'));
    const labelValues = new Set(ours.flatMap((sample) => Object.values(sample.labels)));
    const allowed = new Set([
      'pingone',
      'connected',
      'refreshed',
      '2xx',
      'delivered',
      'client_credentials',
      'active',
    ]);
    const buckets = /^(\+Inf|\d+(\.\d+)?)$/;
    expect([...labelValues].filter((value) => !allowed.has(value) && !buckets.test(value))).toEqual(
      [],
    );
  });
});

describe('/metrics access', () => {
  let harness: Harness;
  let off: Harness;
  beforeAll(async () => {
    harness = await startHarness({ env: { METRICS_TOKEN } });
    off = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
    await off.close();
  });

  const get = (on: Harness, headers: Record<string, string> = {}, path = '/metrics') =>
    on.app.request(on.url(path), { headers });

  it('answers 401 unauthorized without a token', async () => {
    const response = await get(harness);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'unauthorized', message: 'A valid metrics token is required.' },
    });
  });

  it('answers 401 unauthorized with a wrong token', async () => {
    const response = await get(harness, { authorization: `Bearer ${METRICS_TOKEN}x` });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers 401 unauthorized with the secret key', async () => {
    const response = await get(harness, { authorization: `Bearer ${SECRET_KEY}` });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('answers like any unknown endpoint when METRICS_TOKEN is unset', async () => {
    const response = await get(off, { authorization: `Bearer ${METRICS_TOKEN}` });
    const unknown = await get(off, { authorization: `Bearer ${METRICS_TOKEN}` }, '/no-such-path');
    expect(response.status).toBe(unknown.status);
    expect(await response.json()).toEqual(await unknown.json());
  });

  it('counts connections at most once a minute', async () => {
    const connections = async () =>
      sampleValue(
        parseExposition(
          await (await get(harness, { authorization: `Bearer ${METRICS_TOKEN}` })).text(),
        ),
        'pingone_connect_connections',
        { integration: 'pingone', status: 'active' },
      );
    const flow = async (id: string) => {
      const { posted } = await harnessFlow(harness, { session: { end_user: { id } } });
      expect(posted.message?.ok).toBe(true);
    };
    await flow('u-minute-1');
    harness.clock.advance(CONNECTIONS_MAX_AGE_MS);
    const before = await connections();
    expect(before).toBeGreaterThanOrEqual(1);
    await flow('u-minute-2');
    expect(await connections()).toBe(before);
    harness.clock.advance(CONNECTIONS_MAX_AGE_MS);
    expect(await connections()).toBe(before! + 1);
  });

  it('counts each server apart: a registry per instance, not the global one', async () => {
    const other = await startHarness({ env: { METRICS_TOKEN } });
    try {
      const read = async (on: Harness) =>
        sampleValue(
          parseExposition(
            await (await get(on, { authorization: `Bearer ${METRICS_TOKEN}` })).text(),
          ),
          'pingone_connect_connect_flows_total',
          { integration: 'pingone', outcome: 'connected' },
        );
      const before = (await read(harness)) ?? 0;
      const { posted } = await harnessFlow(harness, { session: { end_user: { id: 'u-1' } } });
      expect(posted.message?.ok).toBe(true);
      expect(await read(harness)).toBe(before + 1);
      expect(await read(other)).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('METRICS_TOKEN', () => {
  const env = (token: string) => ({
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64url'),
    ENCRYPTION_KEYS: Buffer.alloc(32, 2).toString('base64url'),
    ALLOWED_ORIGINS: HOST_ORIGIN,
    METRICS_TOKEN: token,
  });

  it('is refused when shorter than 32 characters', () => {
    expect(() => loadConfig(env('short'))).toThrow(ConfigError);
  });

  it('is refused when it is one of the secret keys', () => {
    expect(() => loadConfig(env(SECRET_KEY))).toThrow(/METRICS_TOKEN: must differ/);
  });
});
