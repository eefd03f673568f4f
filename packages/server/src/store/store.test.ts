import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import { openStore } from './open.js';
import type { ConnectionUpsert } from './connections.js';
import type { SessionRecord } from './sessions.js';
import type { Store } from './store.js';
import { ENGINES, type Engine } from '../../test/engines.js';

const DAY = 24 * 60 * 60 * 1000;

function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    jti: newId('sess'),
    integrationId: 'pingone',
    endUser: { id: 'user-1', email: 'ada@example.com', displayName: null },
    organization: { id: 'org-1', displayName: 'Acme' },
    allowedOrigins: ['https://app.example.com'],
    scopes: ['openid', 'profile'],
    connectionId: null,
    createdAt: now,
    expiresAt: now + 600_000,
    consumedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

function connection(
  endUserId: string,
  sub: string,
  overrides: Partial<ConnectionUpsert> = {},
): ConnectionUpsert {
  const now = Date.now();
  return {
    id: newId('conn', now),
    integrationId: 'pingone',
    endUser: { id: endUserId, email: null, displayName: null },
    organization: null,
    providerAccount: { sub, email: `${sub}@example.com`, name: null },
    scopes: ['openid'],
    credentials: 'eyJ.encrypted.credentials',
    expiresAt: now + 3_600_000,
    now,
    signedOnAt: now,
    reauthBy: now + 30 * 24 * 60 * 60 * 1000,
    ...overrides,
  };
}

describe.each(ENGINES)('the store on %s', (_, start) => {
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

  it('migrates at start-up and opens an up-to-date database again without change', async () => {
    await store.ping();
    const again = await openStore(engine.url);
    const record = session();
    await again.sessions.insert(record);
    await again.close();
    expect(await store.sessions.find(record.jti)).toEqual(record);
  });

  it('upserts a connection per integration, end user and PingOne sub, keeping its id', async () => {
    const endUser = `user-${newId('log')}`;
    const first = await store.connections.upsert(connection(endUser, 'sub-a'));
    expect(first.created).toBe(true);
    const renewed = connection(endUser, 'sub-a', {
      credentials: 'eyJ.renewed',
      scopes: ['openid', 'email'],
    });
    const second = await store.connections.upsert({ ...renewed, now: renewed.now + 1000 });
    expect({ id: second.connection.id, created: second.created }).toEqual({
      id: first.connection.id,
      created: false,
    });
    expect(second.connection).toEqual(await store.connections.find(first.connection.id));
    const stored = await store.connections.find(first.connection.id);
    expect(stored).toMatchObject({
      credentials: 'eyJ.renewed',
      scopes: ['openid', 'email'],
      status: 'active',
    });
    expect(stored?.updatedAt).toBeGreaterThan(stored?.createdAt ?? Infinity);

    const otherAccount = await store.connections.upsert(connection(endUser, 'sub-b'));
    const otherUser = await store.connections.upsert(connection(`${endUser}-2`, 'sub-a'));
    const ids = [first, otherAccount, otherUser].map((saved) => saved.connection.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('rolls back every write of a transaction that fails', async () => {
    const record = session();
    const failing = store.transaction(async (trx) => {
      await trx.sessions.insert(record);
      await trx.connections.upsert(connection('rollback-user', 'sub-r'));
      throw new Error('abort');
    });
    await expect(failing).rejects.toThrow('abort');
    expect(await store.sessions.find(record.jti)).toBeUndefined();
    expect(await store.connections.list({ endUserId: 'rollback-user', limit: 10 })).toEqual([]);
  });

  it('pages connections newest first with a cursor, filtered by end user', async () => {
    const endUser = `pager-${newId('log')}`;
    const base = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const saved = await store.connections.upsert(
        connection(endUser, `sub-${i}`, { id: newId('conn', base + i), now: base + i }),
      );
      ids.push(saved.connection.id);
    }
    await store.connections.upsert(connection(`${endUser}-other`, 'sub-x'));
    const first = await store.connections.list({ endUserId: endUser, limit: 2 });
    const second = await store.connections.list({
      endUserId: endUser,
      limit: 2,
      before: first.at(-1)?.id,
    });
    const third = await store.connections.list({
      endUserId: endUser,
      limit: 2,
      before: second.at(-1)?.id,
    });
    expect([...first, ...second, ...third].map((c) => c.id)).toEqual([...ids].reverse());
  });

  it('lets a state be claimed and a session be consumed only once', async () => {
    const record = session();
    await store.sessions.insert(record);
    const attempt = {
      id: `att_${newId('log')}`,
      sessionJti: record.jti,
      integrationId: 'pingone',
      origin: 'https://app.example.com',
      stateHash: newId('log'),
      codeVerifier: 'eyJ.verifier',
      nonce: 'n',
      bindingHash: 'b',
      scopes: ['openid'],
      delivery: { mode: 'popup' } as const,
      createdAt: Date.now(),
      expiresAt: Date.now() + 600_000,
    };
    const won = (written: unknown) => written !== undefined;
    expect(won(await store.attempts.insert(attempt))).toBe(true);
    expect(won(await store.attempts.insert(attempt))).toBe(false);
    expect(
      (await Promise.all([store.attempts.claim(attempt.id), store.attempts.claim(attempt.id)])).map(
        won,
      ),
    ).toEqual(expect.arrayContaining([true, false]));
    expect(
      (
        await Promise.all([
          store.sessions.consume(record.jti, 1),
          store.sessions.consume(record.jti, 2),
        ])
      ).map(won),
    ).toEqual(expect.arrayContaining([true, false]));
    expect(won(await store.sessions.revoke(record.jti, 3))).toBe(false);
  });

  it('purges sessions, with their attempts, a while after they expire', async () => {
    const old = session({ expiresAt: Date.now() - 2 * DAY });
    await store.sessions.insert(old);
    expect(await store.sessions.purgeExpired(Date.now() - DAY)).toBeGreaterThanOrEqual(1);
    expect(await store.sessions.find(old.jti)).toBeUndefined();
  });

  it('lists the operations log newest first, filtered by connection or attempt, paged by id', async () => {
    const connectionId = newId('conn');
    const at = Date.now();
    const entries = [0, 1, 2].map((i) => ({
      id: newId('log', at + i),
      createdAt: at + i,
      level: 'info' as const,
      event: 'proxy.request',
      message: `call ${i}`,
      integrationId: 'pingone',
      endUserId: 'user-logs',
      connectionId,
      attemptId: i === 0 ? 'att_store_logs_0' : null,
      data: { status: 200 + i, retried: false },
    }));
    for (const entry of entries) await store.journal.insert(entry);
    const ids = entries.map((entry) => entry.id);

    const listed = await store.journal.list({ connectionId, limit: 10 });
    expect(listed.map((entry) => entry.id)).toEqual([...ids].reverse());
    expect(listed[0]).toEqual(entries[2]);
    const byAttempt = await store.journal.list({ attemptId: 'att_store_logs_0', limit: 10 });
    expect(byAttempt.map((entry) => entry.id)).toEqual([ids[0]]);
    const page = await store.journal.list({ connectionId, before: ids[2], limit: 1 });
    expect(page.map((entry) => entry.id)).toEqual([ids[1]]);
  });

  it('claims a connection’s expiring notice once per reauth_by, and again once a refresh moves it', async () => {
    const reauthBy = Date.now() + 2 * 24 * 60 * 60 * 1000;
    const { connection: stored } = await store.connections.upsert(
      connection(`user-${newId('log')}`, 'sub-expiring', { reauthBy }),
    );
    const due = await store.connections.dueForExpiringNotice(reauthBy, 100);
    expect(due.map((record) => record.id)).toContain(stored.id);
    expect(await store.connections.claimExpiringNotice(stored.id, reauthBy)).toMatchObject({
      expiringNotifiedFor: reauthBy,
    });
    expect(await store.connections.claimExpiringNotice(stored.id, reauthBy)).toBeUndefined();
    expect(
      (await store.connections.dueForExpiringNotice(reauthBy, 100)).map((record) => record.id),
    ).not.toContain(stored.id);

    const later = reauthBy + 60_000;
    const refreshed = await store.connections.saveRefreshed(stored.id, stored.credentials, {
      credentials: 'eyJ.encrypted.refreshed',
      expiresAt: null,
      reauthBy: later,
      now: Date.now(),
    });
    expect(refreshed?.reauthBy).toBe(later);
    // A claim of the reauth_by a sweep read before the refresh loses.
    expect(await store.connections.claimExpiringNotice(stored.id, reauthBy)).toBeUndefined();
    expect(await store.connections.claimExpiringNotice(stored.id, later)).toMatchObject({
      expiringNotifiedFor: later,
    });
  });
});
