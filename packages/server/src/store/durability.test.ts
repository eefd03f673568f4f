import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgres, sqlite, type Engine } from '../../test/engines.js';
import { SQLITE_SYNCHRONOUS, transactions, type RunTransaction } from './durability.js';

interface Items {
  items: { id: number };
}

/** What each engine reports as the commit level in force on the transaction's connection. */
const ENGINES = [
  [
    'SQLite',
    sqlite,
    (url: string) => {
      const database = new BetterSqlite3(url.slice('sqlite:'.length));
      database.pragma('journal_mode = WAL');
      database.pragma(`synchronous = ${SQLITE_SYNCHRONOUS.flushed}`);
      return new Kysely<Items>({ dialect: new SqliteDialect({ database }) });
    },
    async (db: Kysely<Items>) => {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      return { 1: 'NORMAL', 2: 'FULL' }[rows[0]!.synchronous as 1 | 2];
    },
    { flushed: 'FULL', deferred: 'NORMAL' },
    'sqlite',
  ],
  [
    'PostgreSQL',
    postgres,
    (url: string) =>
      new Kysely<Items>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
      }),
    async (db: Kysely<Items>) => {
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(
        db,
      );
      return rows[0]!.synchronous_commit;
    },
    { flushed: 'on', deferred: 'off' },
    'postgres',
  ],
] as const;

describe.each(ENGINES)(
  'transactions by durability on %s',
  (_name, engine, open, level, expected, dialect) => {
    let database: Engine;
    let db: Kysely<Items>;
    let run: RunTransaction<Items>;
    beforeAll(async () => {
      database = await engine();
      db = open(database.url);
      await db.schema.dropTable('items').ifExists().execute();
      await db.schema
        .createTable('items')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
      run = transactions(db, dialect);
    }, 120_000);
    afterAll(async () => {
      await db?.destroy();
      await database?.stop();
    });

    it('commits a flushed transaction at the flushed level', async () => {
      const seen = await run(async (trx) => {
        await trx.insertInto('items').values({ id: 1 }).execute();
        return level(trx);
      }, 'flushed');
      expect(seen).toBe(expected.flushed);
      expect(await db.selectFrom('items').select('id').where('id', '=', 1).execute()).toEqual([
        { id: 1 },
      ]);
    });

    it('commits a deferred transaction at the deferred level, then is back at the flushed one', async () => {
      const seen = await run(async (trx) => {
        await trx.insertInto('items').values({ id: 2 }).execute();
        return level(trx);
      }, 'deferred');
      expect(seen).toBe(expected.deferred);
      expect(await db.selectFrom('items').select('id').where('id', '=', 2).execute()).toEqual([
        { id: 2 },
      ]);
      expect(await run((trx) => level(trx), 'flushed')).toBe(expected.flushed);
    });

    it('rolls a failed deferred transaction back and is back at the flushed level', async () => {
      const failed = run(async (trx) => {
        await trx.insertInto('items').values({ id: 3 }).execute();
        throw new Error('refused');
      }, 'deferred');
      await expect(failed).rejects.toThrow('refused');
      expect(await db.selectFrom('items').select('id').where('id', '=', 3).execute()).toEqual([]);
      expect(await run((trx) => level(trx), 'flushed')).toBe(expected.flushed);
    });

    it('commits a flushed transaction that starts while a deferred one is open at the flushed level', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const deferred = run(async (trx) => {
        opened();
        await gate;
        return level(trx);
      }, 'deferred');
      await open;
      const flushed = run(async (trx) => {
        await trx.insertInto('items').values({ id: 4 }).execute();
        return level(trx);
      }, 'flushed');
      release();
      expect(await deferred).toBe(expected.deferred);
      expect(await flushed).toBe(expected.flushed);
    });
  },
);
