import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import { DELIVERY_ERROR_MAX_LENGTH, type NewWebhookDelivery } from './deliveries.js';
import { openStore } from './open.js';
import type { Store } from './store.js';
import { ENGINES, type Engine } from '../../test/engines.js';

const T0 = Date.UTC(2026, 0, 1);
const LEASE_MS = 60_000;

describe.each(ENGINES)('webhook deliveries on %s', (_, start) => {
  let engine: Engine;
  let store: Store;
  beforeAll(async () => {
    engine = await start();
    store = await openStore(engine.url);
  });
  afterAll(async () => {
    await store?.close();
    await engine?.stop();
  });

  /** An event in the outbox, about `connectionId`, queued at `at`. */
  async function queue(connectionId: string | null, at = T0) {
    const id = newId('evt', at);
    const payload = JSON.stringify({
      type: 'connection.created',
      data: { connection_id: connectionId },
    });
    return store.outbox.insert({
      id,
      type: 'connection.created',
      payload,
      connectionId,
      createdAt: at,
    });
  }

  function attempt(eventId: string, at: number, fields: Partial<NewWebhookDelivery> = {}) {
    return {
      id: newId('whd', at),
      eventId,
      attempt: 1,
      startedAt: at,
      durationMs: 12,
      result: { outcome: 'delivered', responseStatus: 204 },
      nextAttemptAt: null,
      redelivery: false,
      ...fields,
    } satisfies NewWebhookDelivery;
  }

  it('lists attempts newest first with their event’s type and connection, filtered and paged', async () => {
    const connectionId = newId('conn');
    const event = await queue(connectionId);
    const other = await queue(null);
    const failed = attempt(event.id, T0 + 1, {
      result: { outcome: 'failed', responseStatus: 500, error: 'HTTP 500' },
      nextAttemptAt: T0 + 5_000,
    });
    const delivered = attempt(event.id, T0 + 5_000, { attempt: 2 });
    const unreachable = attempt(other.id, T0 + 6_000, {
      result: { outcome: 'error', error: 'timed out' },
    });
    for (const row of [failed, delivered, unreachable]) await store.deliveries.insert(row);

    const ofEvent = await store.deliveries.list({ eventId: event.id, limit: 10 });
    expect(ofEvent).toEqual([
      { ...delivered, eventType: 'connection.created', connectionId },
      { ...failed, eventType: 'connection.created', connectionId },
    ]);
    const byConnection = await store.deliveries.list({ connectionId, limit: 10 });
    expect(byConnection.map((row) => row.id)).toEqual([delivered.id, failed.id]);
    const errors = await store.deliveries.list({ outcome: 'error', limit: 10 });
    expect(errors).toMatchObject([{ id: unreachable.id, connectionId: null }]);
    const window = await store.deliveries.list({
      eventId: event.id,
      since: T0 + 1,
      until: T0 + 5_000,
      limit: 10,
    });
    expect(window.map((row) => row.id)).toEqual([failed.id]);
    const page = await store.deliveries.list({ eventId: event.id, before: delivered.id, limit: 1 });
    expect(page.map((row) => row.id)).toEqual([failed.id]);
    expect(await store.deliveries.find(unreachable.id)).toMatchObject({
      result: { outcome: 'error', error: 'timed out' },
    });
  });

  it('keeps an error no longer than its bound', async () => {
    const event = await queue(null);
    const row = attempt(event.id, T0, {
      result: { outcome: 'error', error: 'x'.repeat(5_000) },
    });
    await store.deliveries.insert(row);
    const found = await store.deliveries.find(row.id);
    expect(found?.result.outcome === 'error' && found.result.error.length).toBe(
      DELIVERY_ERROR_MAX_LENGTH,
    );
  });

  it('queues a given-up event again, due now, with a fresh retry budget', async () => {
    const event = await queue(null, T0);
    const [claimed] = await store.outbox
      .claimDue(T0 + 1, T0 + LEASE_MS, 100)
      .then((events) => events.filter((candidate) => candidate.id === event.id));
    expect(await store.outbox.markFailed(claimed!, 1, T0 + 2, 'HTTP 500')).toBe(true);

    const queued = await store.outbox.redeliver(event.id, T0 + 10);
    expect(queued).toMatchObject({
      attempts: 1,
      attemptsBeforeRedelivery: 1,
      nextAttemptAt: T0 + 10,
      failedAt: null,
      deliveredAt: null,
      redeliveryRequested: true,
    });
    expect(await store.outbox.redeliver(newId('evt'), T0)).toBeUndefined();
  });

  it('does not let an attempt in flight overwrite a redelivery asked for meanwhile', async () => {
    const event = await queue(null, T0);
    const [claimed] = (await store.outbox.claimDue(T0 + 1, T0 + LEASE_MS, 100)).filter(
      (candidate) => candidate.id === event.id,
    );
    await store.outbox.redeliver(event.id, T0 + 2);
    expect(await store.outbox.markDelivered(claimed!, 1, T0 + 3)).toBe(false);
    // Still due for the redelivery, and the attempt counted.
    expect(await store.outbox.find(event.id)).toMatchObject({
      attempts: 1,
      deliveredAt: null,
      nextAttemptAt: T0 + 2,
      redeliveryRequested: true,
    });
  });
});
