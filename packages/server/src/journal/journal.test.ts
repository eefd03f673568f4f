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
