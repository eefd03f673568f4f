import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger/logger.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { ENGINES, type Engine } from '../../test/engines.js';
import { RetentionSweep } from './retention-sweep.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 1);
const OLD = NOW - 40 * DAY;
const RECENT = NOW - DAY;
const logger = createLogger({ level: 'error' });

let sequence = 0;
const id = (prefix: string) => `${prefix}_${String((sequence += 1)).padStart(6, '0')}`;

async function seedLogs(store: Store, at: number, count: number): Promise<void> {
  await store.transaction((trx) =>
    trx.journal.insertAll(
      Array.from({ length: count }, () => ({
        id: id('log'),
        createdAt: at,
        level: 'info' as const,
        event: 'seed',
        message: 'A seeded row.',
      })),
    ),
  );
}

/** An outbox event created at `at`, delivered at `at` (unless pending) with one attempt logged. */
async function seedEvent(
  store: Store,
  at: number,
  state: 'delivered' | 'failed' | 'pending',
): Promise<string> {
  const eventId = id('evt');
  await store.transaction((trx) =>
    trx.outbox.insert({
      id: eventId,
      type: 'connection.updated',
      payload: '{}',
      createdAt: at,
      connectionId: null,
    }),
  );
  if (state === 'pending') return eventId;
  const [claim] = await store.outbox.claimDue(at, at + 1, 1);
  if (!claim || claim.id !== eventId) throw new Error('the seeded event was not claimed');
  if (state === 'delivered') await store.outbox.markDelivered(claim, 1, at);
  else await store.outbox.markFailed(claim, 1, at, 'HTTP 500');
  await store.transaction((trx) =>
    trx.deliveries.insert({
      id: id('whd'),
      eventId,
      attempt: 1,
      startedAt: at,
      durationMs: 5,
      result:
        state === 'delivered'
          ? { outcome: 'delivered', responseStatus: 204 }
          : { outcome: 'failed', responseStatus: 500, error: 'HTTP 500' },
      nextAttemptAt: null,
      redelivery: false,
    }),
  );
  return eventId;
}

describe.each(ENGINES)('log retention on %s', (_name, engine) => {
  let database: Engine;
  let store: Store;
  beforeAll(async () => {
    database = await engine();
    store = await openStore(database.url);
  });
  afterAll(async () => {
    await store?.close();
    await database?.stop();
  });

  it('deletes old log rows, delivery attempts and finished events in batches, and keeps the rest', async () => {
    await seedLogs(store, OLD, 7);
    await seedLogs(store, RECENT, 2);
    const oldDelivered = await seedEvent(store, OLD, 'delivered');
    const oldFailed = await seedEvent(store, OLD, 'failed');
    const recentDelivered = await seedEvent(store, RECENT, 'delivered');
    // Due since long ago and never delivered: the queue, whatever its age.
    const oldPending = await seedEvent(store, OLD + DAY, 'pending');
    let batches = 0;
    const sweep = new RetentionSweep({
      store,
      logger,
      retentionDays: 30,
      clock: () => NOW,
      batchSize: 3,
      afterBatch: async () => void (batches += 1),
    });

    const report = await sweep.tick();

    expect(report).toMatchObject({ logs: 7, deliveries: 2, events: 2 });
    // 7 log rows in 3 + 3 + 1: two full batches gave way before the next.
    expect(batches).toBe(2);
    const logs = await store.journal.list({ limit: 100 });
    expect(logs.every((row) => row.createdAt >= NOW - 30 * DAY)).toBe(true);
    expect(await store.outbox.find(oldDelivered)).toBeUndefined();
    expect(await store.outbox.find(oldFailed)).toBeUndefined();
    expect(await store.outbox.find(recentDelivered)).toBeDefined();
    expect(await store.outbox.find(oldPending)).toBeDefined();
  });

  it('serves other work between batches: a long prune never holds the event loop', async () => {
    await seedLogs(store, OLD, 9);
    const { retention } = store;
    let batches = 0;
    const counting: Pick<Store, 'retention' | 'rateLimits'> = {
      rateLimits: store.rateLimits,
      retention: {
        pruneLogs: (before, limit) => ((batches += 1), retention.pruneLogs(before, limit)),
        pruneDeliveries: (before, limit) => retention.pruneDeliveries(before, limit),
        pruneFinishedEvents: (before, limit) => retention.pruneFinishedEvents(before, limit),
      } as Store['retention'],
    };
    const sweep = new RetentionSweep({
      store: counting,
      logger,
      retentionDays: 30,
      clock: () => NOW,
      batchSize: 3,
    });
    // A macrotask queued as the sweep starts stands for a request that has arrived.
    let batchesWhenServed: number | undefined;
    setImmediate(() => (batchesWhenServed = batches));

    const report = await sweep.tick();

    expect(report.logs).toBe(9);
    expect(batches).toBe(4);
    // Served before the last batch had even started (on SQLite, whose queries never wait for
    // I/O, only because the sweep gives way: without it, after all four).
    expect(batchesWhenServed).toBeLessThan(4);
  });

  it('keeps an old event whose redelivery was attempted within the retention period', async () => {
    const eventId = await seedEvent(store, OLD, 'delivered');
    await store.transaction((trx) =>
      trx.deliveries.insert({
        id: id('whd'),
        eventId,
        attempt: 2,
        startedAt: RECENT,
        durationMs: 5,
        result: { outcome: 'delivered', responseStatus: 204 },
        nextAttemptAt: null,
        redelivery: true,
      }),
    );
    const sweep = new RetentionSweep({ store, logger, retentionDays: 30, clock: () => NOW });

    await sweep.tick();

    expect(await store.outbox.find(eventId)).toBeDefined();
  });

  it('keeps everything when retention is off (LOG_RETENTION_DAYS=0), but still drops stale rate-limit counters', async () => {
    await seedLogs(store, NOW - 3650 * DAY, 1);
    await store.rateLimits.hit('oauth:stale', NOW - 10 * 60_000);
    await store.rateLimits.hit('oauth:current', NOW - (NOW % 60_000));
    const sweep = new RetentionSweep({ store, logger, retentionDays: null, clock: () => NOW });

    const report = await sweep.tick();

    expect(report).toEqual({ logs: 0, deliveries: 0, events: 0, rateLimits: 1 });
    expect(await store.rateLimits.hit('oauth:current', NOW - (NOW % 60_000))).toBe(2);
  });

  it('stops between batches once stop() is called', async () => {
    await seedLogs(store, OLD - DAY, 5);
    let stopping: Promise<void> | undefined;
    const sweep = new RetentionSweep({
      store,
      logger,
      retentionDays: 30,
      clock: () => NOW,
      batchSize: 2,
      afterBatch: async () => {
        stopping ??= sweep.stop();
      },
    });

    const report = await sweep.tick();
    await stopping;

    expect(report.logs).toBe(2);
  });
});

describe('RetentionSweep options', () => {
  it('refuses a retention that is not positive', () => {
    expect(() => new RetentionSweep({ store: {} as Store, logger, retentionDays: 0 })).toThrow(
      TypeError,
    );
  });
});
