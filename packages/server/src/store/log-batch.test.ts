import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../ids.js';
import type { LogEntry } from './journal.js';
import type { LogBatchLimits } from './log-batch.js';
import { openStore } from './open.js';
import type { Store } from './store.js';
import { ENGINES, type Engine } from '../../test/engines.js';

/** Long enough that no batch commits on its timer unless a test advances a fake clock. */
const NO_TIMER: LogBatchLimits = { maxDelayMs: 60 * 60 * 1000, maxRows: 100 };

/** `count` rows filed under one connection id of their own, so tests on one database stay apart. */
function rows(count: number): LogEntry[] {
  const connectionId = newId('conn');
  return Array.from({ length: count }, (_, index) => ({
    id: newId('log'),
    createdAt: Date.now(),
    level: 'info' as const,
    event: 'proxy.request',
    message: `GET /v1/environments answered 200 (${index}).`,
    integrationId: 'pingone',
    connectionId,
  }));
}

const connectionOf = (entries: readonly LogEntry[]) => entries[0]!.connectionId!;

describe.each(ENGINES)('log rows written outside a transaction, on %s', (_, start) => {
  let engine: Engine;
  const stores: Store[] = [];
  beforeAll(async () => {
    engine = await start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  async function open(limits: LogBatchLimits = NO_TIMER): Promise<Store> {
    const store = await openStore(engine.url, { logBatch: limits });
    stores.push(store);
    return store;
  }

  /** The rows of a connection as a second store reads them: what has committed, no more. */
  async function committed(connectionId: string): Promise<string[]> {
    const reader = await open();
    return (await reader.journal.list({ connectionId, limit: 1000 })).map((row) => row.id).sort();
  }

  it('commits the queued rows in one transaction', async () => {
    const store = await open();
    const transactions = vi.spyOn(store, 'transaction');
    const entries = rows(5);
    const appended = entries.map((entry) => store.journal.append(entry));
    expect(await committed(connectionOf(entries))).toEqual([]);

    await store.journal.flush();
    await Promise.all(appended);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(await committed(connectionOf(entries))).toEqual(entries.map((row) => row.id).sort());
  });

  it('commits a full batch at once and keeps the rest for the next', async () => {
    const store = await open({ ...NO_TIMER, maxRows: 3 });
    const transactions = vi.spyOn(store, 'transaction');
    const entries = rows(7);
    const appended = entries.map((entry) => store.journal.append(entry));

    await Promise.all(appended.slice(0, 6));
    expect(transactions).toHaveBeenCalledTimes(2);
    expect(await committed(connectionOf(entries))).toHaveLength(6);

    await store.journal.flush();
    expect(transactions).toHaveBeenCalledTimes(3);
    expect(await committed(connectionOf(entries))).toHaveLength(7);
  });

  it('commits a queued row once its delay has run out', async () => {
    const store = await open({ maxDelayMs: 50, maxRows: 100 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const transactions = vi.spyOn(store, 'transaction');
    const [entry] = rows(1);
    const appended = store.journal.append(entry!);

    await vi.advanceTimersByTimeAsync(49);
    expect(transactions).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await appended;
    expect(transactions).toHaveBeenCalledTimes(1);
  });

  it('lists a row appended just before, without waiting for its batch', async () => {
    const store = await open();
    const [entry] = rows(1);
    void store.journal.append(entry!);

    const listed = await store.journal.list({ connectionId: entry!.connectionId!, limit: 10 });
    expect(listed.map((row) => row.id)).toEqual([entry!.id]);
  });

  it('commits the queued rows when the store closes', async () => {
    const store = await openStore(engine.url, { logBatch: NO_TIMER });
    const entries = rows(3);
    const appended = entries.map((entry) => store.journal.append(entry));

    await store.close();
    await Promise.all(appended);
    expect(await committed(connectionOf(entries))).toHaveLength(3);
  });

  it('refuses a row appended after the store closed', async () => {
    const store = await openStore(engine.url, { logBatch: NO_TIMER });
    await store.close();

    await expect(store.journal.append(rows(1)[0]!)).rejects.toThrow('The store is closed.');
  });

  it('fails a batch whole on a database error, and commits the next one', async () => {
    const store = await open();
    const [first, second] = rows(2);
    await store.journal.insert(first!);
    // The same id again: the database refuses the batch that holds it, and all of its rows.
    const refused = [store.journal.append(first!), store.journal.append(second!)];
    await store.journal.flush();
    await expect(refused[0]).rejects.toThrow();
    await expect(refused[1]).rejects.toThrow();

    const next = store.journal.append(second!);
    await store.journal.flush();
    await next;
    expect(await committed(first!.connectionId!)).toEqual([first!.id, second!.id].sort());
  });
});
