import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { SQLITE_SYNCHRONOUS } from './durability.js';
import { kyselyStore } from './kysely-store.js';
import type { LogBatchLimits } from './log-batch.js';
import { migrateToLatest } from './migrations.js';
import { cachingStatements } from './statement-cache.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

const SQLITE_PREFIX = 'sqlite:';
const INT8_OID = 20;

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** When the operations-log rows of no state change commit. Default `LOG_BATCH_LIMITS`. */
  readonly logBatch?: LogBatchLimits;
}

/**
 * Opens the store named by `databaseUrl` and migrates it:
 * `sqlite:<path>` (relative to the working directory; `sqlite::memory:` for a throwaway one)
 * or `postgres://…` / `postgresql://…`.
 *
 * @throws TypeError for any other URL.
 */
export async function openStore(databaseUrl: string, options: StoreOptions = {}): Promise<Store> {
  if (databaseUrl.startsWith(SQLITE_PREFIX))
    return openSqlite(databaseUrl.slice(SQLITE_PREFIX.length), options);
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgres(databaseUrl, options);
  throw new TypeError('DATABASE_URL must start with sqlite: or postgres://');
}

async function openSqlite(path: string, options: StoreOptions): Promise<Store> {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  // Another process (a second server on the same file, a backup) may hold the write lock
  // briefly; set first, since switching a new file to WAL takes that lock too.
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  // FULL: a committed connection or rotated refresh token survives power loss, not just a crash.
  // The operations-log rows of no state change do not each pay that fsync: they commit in
  // batches (LogBatch), on this same connection and with the same durability once committed.
  // Lowered to NORMAL for the length of a `deferred` transaction only (durability.ts).
  database.pragma(`synchronous = ${SQLITE_SYNCHRONOUS.flushed}`);
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(database) }),
  });
  return migrated(db, 'sqlite', options);
}

async function openPostgres(connectionString: string, options: StoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString,
    // Epoch milliseconds live in bigint columns; they fit a double exactly, so read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? Number
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose connection broke (PostgreSQL restarted, or dropped it) is discarded by
  // the pool and the next query opens a new one; unheard, the event would stop the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return migrated(db, 'postgres', options);
}

async function migrated(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  options: StoreOptions,
): Promise<Store> {
  try {
    await migrateToLatest(db as Kysely<unknown>, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return kyselyStore(db, dialect, options.logBatch);
}
