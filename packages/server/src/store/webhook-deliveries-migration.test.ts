import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openStore } from './open.js';
import { sqlite, type Engine } from '../../test/engines.js';

const BEFORE_DELIVERIES = '0007_redirect_mode_and_links';

describe('migration 0008_webhook_deliveries', () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await sqlite();
  });
  afterEach(() => engine.stop());

  it('gives the events queued before it their connection, for the delivery log’s filter', async () => {
    const db = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new SqliteDialect({
        database: new BetterSqlite3(engine.url.slice('sqlite:'.length)),
      }),
    });
    const provider = { getMigrations: async () => ({ ...MIGRATIONS }) };
    const { error } = await new Migrator({ db, provider }).migrateTo(BEFORE_DELIVERIES);
    expect(error).toBeUndefined();
    const event = (id: string, type: string, connectionId: string | null) => ({
      id,
      event_type: type,
      payload: JSON.stringify({ type, data: { connection_id: connectionId } }),
      created_at: 1,
      next_attempt_at: 1,
      attempts: 3,
      failed_at: 2,
    });
    await db
      .insertInto('webhook_outbox')
      .values([
        event('evt_older', 'connection.created', 'conn_older'),
        event('evt_no_connection', 'connect.failed', null),
      ])
      .execute();
    await db.destroy();

    const store = await openStore(engine.url);
    try {
      expect(await store.outbox.find('evt_older')).toMatchObject({
        connectionId: 'conn_older',
        attempts: 3,
        attemptsBeforeRedelivery: 0,
        redeliveryRequested: false,
      });
      expect((await store.outbox.find('evt_no_connection'))?.connectionId).toBeNull();
      // Given up before the migration, and still redeliverable after it.
      expect(await store.outbox.redeliver('evt_older', 10)).toMatchObject({
        failedAt: null,
        nextAttemptAt: 10,
        attemptsBeforeRedelivery: 3,
      });
    } finally {
      await store.close();
    }
  });
});
