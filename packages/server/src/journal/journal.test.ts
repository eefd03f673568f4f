import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { createLogger } from '../logger/logger.js';
import type { ConnectionRecord } from '../store/connections.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { Journal } from './journal.js';

let store: Store;
let lines: Record<string, unknown>[];
let wakes: number;

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  lines = [];
  wakes = 0;
});
afterEach(() => store.close());

function journal(webhooks = true): Journal {
  return new Journal({
    logger: createLogger({
      sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    }),
    clock: Date.now,
    ...(webhooks ? { webhooks: { wake: () => (wakes += 1) } } : {}),
  });
}

async function connection(): Promise<ConnectionRecord> {
  const now = Date.now();
  const { connection } = await store.connections.upsert({
    id: newId('conn', now),
    integrationId: 'pingone',
    endUser: { id: 'user-1', email: null, displayName: null },
    organization: null,
    providerAccount: { sub: 'sub-1', email: null, name: null },
    scopes: ['openid'],
    credentials: 'eyJ.encrypted.credentials',
    signedOnAt: now,
    reauthBy: now + 30 * 24 * 60 * 60 * 1000,
    expiresAt: null,
    now,
  });
  return connection;
}

const outbox = async () =>
  (await store.outbox.claimDue(Date.now() + 1000, Date.now() + 60_000, 10)).map((e) => e.type);

describe('the journal', () => {
  it('writes the row, queues the webhook, then after commit the line and one wake', async () => {
    const subject = { connection: await connection(), attemptId: 'att_journal_1' };
    const recorded = journal();
    await store.transaction(async (trx) => {
      await recorded.record(trx, {
        event: 'connection.created',
        level: 'info',
        subject,
        message: 'Connection created.',
        data: { scopes: ['openid'] },
      });
      expect(lines).toEqual([]);
      expect(wakes).toBe(0);
    });

    const [row] = await store.journal.list({ attemptId: 'att_journal_1', limit: 10 });
    expect(row).toMatchObject({
      event: 'connection.created',
      level: 'info',
      message: 'Connection created.',
      integrationId: 'pingone',
      endUserId: 'user-1',
      connectionId: subject.connection.id,
      attemptId: 'att_journal_1',
      data: { scopes: ['openid'] },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'connection.created',
        message: 'Connection created.',
        connection_id: subject.connection.id,
        attempt_id: 'att_journal_1',
        scopes: ['openid'],
      }),
    ]);
    expect(wakes).toBe(1);
    expect(await outbox()).toEqual(['connection.created']);
  });

  it('leaves no row, webhook, line or wake of a transaction that rolls back', async () => {
    const subject = { connection: await connection(), attemptId: 'att_journal_2' };
    const failing = store.transaction(async (trx) => {
      await journal().record(trx, {
        event: 'connection.deleted',
        level: 'info',
        subject,
        message: 'Connection deleted.',
      });
      throw new Error('abort');
    });
    await expect(failing).rejects.toThrow('abort');
    expect(await store.journal.list({ attemptId: 'att_journal_2', limit: 10 })).toEqual([]);
    expect(await outbox()).toEqual([]);
    expect(lines).toEqual([]);
    expect(wakes).toBe(0);
  });

  it('queues no webhook when webhooks are off, or when the entry says not to', async () => {
    const subject = { connection: await connection() };
    await store.transaction((trx) =>
      journal(false).record(trx, {
        event: 'connection.updated',
        level: 'info',
        subject,
        message: 'Connection updated.',
      }),
    );
    await store.transaction((trx) =>
      journal().record(trx, {
        event: 'connection.refresh_failed',
        level: 'warn',
        subject,
        message: 'The refresh failed.',
        webhook: false,
      }),
    );
    expect(await outbox()).toEqual([]);
    expect(wakes).toBe(0);
    expect(lines.map((line) => line.event)).toEqual([
      'connection.updated',
      'connection.refresh_failed',
    ]);
  });

  it('puts a failure’s code in the row and its reason and cause in the line, redacted', async () => {
    const failure = new ApiError('provider_unavailable', undefined, {
      cause: new Error('token endpoint answered 503 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'),
    });
    await store.transaction((trx) =>
      journal().record(trx, {
        event: 'attempt.failed',
        level: 'error',
        subject: { integrationId: 'pingone', attemptId: 'att_journal_3' },
        message: failure.message,
        failure,
        data: { access_token: 'never-stored' },
      }),
    );
    const [row] = await store.journal.list({ attemptId: 'att_journal_3', limit: 10 });
    expect(row?.data).toEqual({ error_code: 'provider_unavailable', access_token: '[redacted]' });
    expect(lines[0]).toMatchObject({
      event: 'attempt.failed',
      error_code: 'provider_unavailable',
      reason: failure.message,
      cause: { name: 'Error', message: 'token endpoint answered 503 [redacted]' },
      access_token: '[redacted]',
    });
  });
});

describe('an entry of no state change', () => {
  let dir: string;
  let file: string;
  let batched: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-journal-'));
    file = join(dir, 'journal.db');
    // No batch commits on its timer here: each test says when, by reading or flushing.
    batched = await openStore(`sqlite:${file}`, {
      logBatch: { maxDelayMs: 60 * 60 * 1000, maxRows: 100 },
    });
  });
  afterEach(async () => {
    await batched.close();
    await rm(dir, { recursive: true, force: true });
  });

  const entry = (attemptId: string) =>
    ({
      event: 'proxy.request',
      level: 'info',
      subject: { integrationId: 'pingone', attemptId },
      message: 'GET /v1/environments answered 200.',
      data: { method: 'GET', status: 200 },
    }) as const;

  it('goes in the next batch of rows, and its line out once that batch has committed', async () => {
    journal().recordAlone(batched, entry('att_journal_4'));
    expect(lines).toEqual([]);

    await batched.journal.flush();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'proxy.request',
        attempt_id: 'att_journal_4',
        status: 200,
      }),
    ]);
    const [row] = await batched.journal.list({ attemptId: 'att_journal_4', limit: 10 });
    expect(row).toMatchObject({ event: 'proxy.request', data: { method: 'GET', status: 200 } });
  });

  it('goes to the log as journal.write_failed when the database refuses its batch', async () => {
    // Another connection takes the table away: the batch's insert fails in the database.
    const other = new BetterSqlite3(file);
    other.exec('alter table logs rename to logs_away');
    journal().recordAlone(batched, entry('att_journal_5'));
    await batched.journal.flush();
    other.exec('alter table logs_away rename to logs');
    other.close();

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'journal.write_failed',
        entry_event: 'proxy.request',
        attempt_id: 'att_journal_5',
        status: 200,
        error: expect.objectContaining({ message: expect.stringContaining('logs') }),
      }),
    ]);
    // Not retried; the next batch commits.
    journal().recordAlone(batched, entry('att_journal_6'));
    await batched.journal.flush();
    expect(lines.at(-1)).toMatchObject({ event: 'proxy.request', attempt_id: 'att_journal_6' });
    expect(await batched.journal.list({ attemptId: 'att_journal_5', limit: 10 })).toEqual([]);
  });
});
