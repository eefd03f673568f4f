import BetterSqlite3 from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_ENV, connect, outbox, readConnection } from '../../test/connections.js';
import { createLogger } from '../logger/logger.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { connectionCount, freePort, startHarness, type Harness } from '../../test/support.js';
import { WebhookDispatcher, retryDelayMs, type WebhookDispatcherOptions } from './dispatcher.js';
import { startReceiver, type Delivery, type Receiver } from '../../test/receiver.js';

const SECRET = WEBHOOK_ENV.WEBHOOK_SECRET;

let harness: Harness | undefined;
let receiver: Receiver | undefined;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await receiver?.close();
  await harness?.close();
  receiver = undefined;
  harness = undefined;
});

/** A harness whose WEBHOOK_URL is `url`, and a dispatcher on its store and clock. */
async function setUp(
  url: string,
  options: Partial<WebhookDispatcherOptions> = {},
): Promise<{ harness: Harness; dispatcher: WebhookDispatcher }> {
  harness = await startHarness({ env: { ...WEBHOOK_ENV, WEBHOOK_URL: url } });
  const dispatcher = new WebhookDispatcher({
    store: harness.store,
    endpoint: { url, secret: SECRET },
    logger: createLogger({ sink: (line) => harness?.logs.push(line) }),
    clock: harness.clock.now,
    random: () => 0.5,
    ...options,
  });
  return { harness, dispatcher };
}

/** Verifies a delivery with the reference Standard Webhooks implementation. */
function verify(delivery: Delivery, secret = SECRET): unknown {
  return new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
}

/** The operations-log events about webhooks, in the order written. */
function webhookLog(file: string): { event: string; data: Record<string, unknown> }[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = db
      .prepare("select event, data from logs where event like 'webhook.%' order by created_at, id")
      .all() as { event: string; data: string }[];
    return rows.map((row) => ({
      event: row.event,
      data: JSON.parse(row.data) as Record<string, unknown>,
    }));
  } finally {
    db.close();
  }
}

describe('webhook signatures', () => {
  /** The connection.created of a new connection, as the receiver got it. */
  async function delivered(): Promise<{ harness: Harness; id: string; delivery: Delivery }> {
    receiver = await startReceiver();
    const { harness, dispatcher } = await setUp(receiver.url);
    const id = await connect(harness, 'user-signed');
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    return { harness, id, delivery: await receiver.next() };
  }

  it('signs each delivery so that the standardwebhooks verifier accepts it, and carries no token', async () => {
    const { harness, id, delivery } = await delivered();
    expect(delivery.method).toBe('POST');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['webhook-id']).toBe(outbox(harness)[0]?.id);
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(delivery)).toEqual({
      type: 'connection.created',
      timestamp: expect.any(String),
      data: {
        connection_id: id,
        integration_id: 'pingone',
        end_user: { id: 'user-signed' },
        organization: null,
        status: 'active',
        status_reason: null,
        reauth_by: expect.any(String),
      },
    });
    const { credentials } = await readConnection(harness, id);
    for (const token of [
      credentials.access_token,
      credentials.refresh_token,
      credentials.id_token,
    ]) {
      expect(delivery.body).not.toContain(token);
    }
  });

  it('fails verification for a tampered body', async () => {
    const { delivery } = await delivered();
    const tampered = { ...delivery, body: delivery.body.replace('user-signed', 'user-other') };
    expect(() => verify(tampered)).toThrow();
  });

  it('fails verification with another secret', async () => {
    const { delivery } = await delivered();
    expect(() => verify(delivery, `whsec_${Buffer.alloc(32, 8).toString('base64')}`)).toThrow();
  });
});

describe('webhook delivery', () => {
  it('retries with backoff while the receiver is down and delivers once it is up', async () => {
    const port = await freePort();
    const { harness, dispatcher } = await setUp(`http://127.0.0.1:${port}/webhooks`);
    const id = await connect(harness);

    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const [first] = outbox(harness);
    expect(first).toMatchObject({ attempts: 1, delivered_at: null });
    expect(first?.last_error).toMatch(/^network error/);
    expect((first?.next_attempt_at ?? 0) - harness.clock.now()).toBeGreaterThan(4_000);

    // Not due yet: nothing is attempted.
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    harness.clock.advance(5_000);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(outbox(harness)[0]?.attempts).toBe(2);

    receiver = await startReceiver(port);
    harness.clock.advance(retryDelayMs(2, 0.5));
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(verify(await receiver.next())).toMatchObject({ data: { connection_id: id } });
    expect(outbox(harness)[0]).toMatchObject({ attempts: 3, delivered_at: expect.any(Number) });
    expect(webhookLog(harness.databaseFile).map((entry) => entry.event)).toEqual([
      'webhook.attempt_failed',
      'webhook.attempt_failed',
      'webhook.delivered',
    ]);
  });

  it('counts an answer other than 2xx as a failed attempt', async () => {
    receiver = await startReceiver();
    receiver.status = 503;
    const { harness, dispatcher } = await setUp(receiver.url);
    await connect(harness);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(outbox(harness)[0]?.last_error).toBe('HTTP 503');
  });

  it('does not follow a redirect', async () => {
    receiver = await startReceiver();
    receiver.status = 307;
    receiver.headers = { location: 'http://127.0.0.1:9/elsewhere' };
    const { harness, dispatcher } = await setUp(receiver.url);
    await connect(harness);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(outbox(harness)[0]?.last_error).toBe('HTTP 307');
  });

  it('gives up after the last attempt, logs it, and never sends the event again', async () => {
    receiver = await startReceiver();
    receiver.status = 500;
    const { harness, dispatcher } = await setUp(receiver.url, { maxAttempts: 2 });
    await connect(harness);
    await dispatcher.dispatchDue();
    harness.clock.advance(retryDelayMs(1, 0.5));
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect(outbox(harness)[0]).toMatchObject({ attempts: 2, failed_at: expect.any(Number) });

    harness.clock.advance(24 * 60 * 60 * 1000);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(webhookLog(harness.databaseFile).at(-1)).toMatchObject({
      event: 'webhook.failed',
      data: { event_type: 'connection.created', attempt: 2, error: 'HTTP 500' },
    });
  });

  it('delivers each event once when two dispatchers share the database', async () => {
    receiver = await startReceiver();
    const { harness, dispatcher } = await setUp(receiver.url);
    for (const user of ['user-a', 'user-b', 'user-c']) await connect(harness, user);
    const other: Store = await openStore(harness.config.databaseUrl);
    cleanup.push(() => other.close());
    const second = new WebhookDispatcher({
      store: other,
      endpoint: { url: receiver.url, secret: SECRET },
      logger: createLogger({ sink: () => {} }),
      clock: harness.clock.now,
    });

    const reports = await Promise.all([dispatcher.dispatchDue(), second.dispatchDue()]);
    expect(reports.reduce((sum, report) => sum + report.delivered, 0)).toBe(3);
    const ids = receiver.received.map((delivery) => delivery.headers['webhook-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('sends events as soon as the app says it queued one, once started', async () => {
    receiver = await startReceiver();
    let dispatcher: WebhookDispatcher | undefined;
    harness = await startHarness({
      env: { ...WEBHOOK_ENV, WEBHOOK_URL: receiver.url },
      app: { onWebhookQueued: () => dispatcher?.wake() },
    });
    const started = new WebhookDispatcher({
      store: harness.store,
      endpoint: { url: receiver.url, secret: SECRET },
      logger: createLogger({ sink: () => {} }),
      // Far longer than the test: only the wake-up can deliver in time.
      pollIntervalMs: 60 * 60 * 1000,
    });
    dispatcher = started;
    started.start();
    cleanup.push(() => started.stop());

    const id = await connect(harness, 'user-woken');
    expect(verify(await receiver.next())).toMatchObject({ data: { connection_id: id } });
  });
});

describe('the outbox is written in the same transaction as the change', () => {
  /** Makes every outbox insert fail, as a full disk or a broken table would. */
  function breakOutbox(file: string): void {
    const db = new BetterSqlite3(file);
    db.exec('alter table webhook_outbox rename to webhook_outbox_gone');
    db.close();
  }

  it('stores no connection whose connection.created event cannot be queued', async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
    breakOutbox(harness.databaseFile);
    await expect(connect(harness)).rejects.toThrow();
    expect(await connectionCount(harness)).toBe(0);
  });

  it('keeps a connection whose connection.deleted event cannot be queued', async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
    const id = await connect(harness);
    breakOutbox(harness.databaseFile);
    const response = await harness.app.request(harness.url(`/connections/${id}`), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${harness.config.secretKeys[0]}` },
    });
    expect(response.status).toBe(500);
    expect(await connectionCount(harness)).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('grows 5 s × 4ⁿ, spread ±20 %, capped at 6 hours', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, 0.5))).toEqual([
      5_000, 20_000, 80_000, 320_000,
    ]);
    expect(retryDelayMs(1, 0)).toBe(4_000);
    expect(retryDelayMs(1, 0.999_999)).toBe(6_000);
    expect(retryDelayMs(20, 0.5)).toBe(6 * 60 * 60 * 1000);
  });
});
