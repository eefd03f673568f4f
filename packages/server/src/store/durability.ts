import { sql, type Kysely } from 'kysely';

/**
 * How a transaction's commit meets a power loss. Neither is ever undone by a crash of this
 * process (SIGKILL, out of memory): what differs is a crash of the machine under it.
 *
 * - `flushed`: the commit returns once it is on disk. Every credential write, and every row
 *   whose loss would not fail closed, commits so (DESIGN §8).
 * - `deferred`: the commit returns once it is in the database's log, before that log is
 *   flushed; a power loss (or a crash of PostgreSQL itself) can undo it until the next flushed
 *   commit or checkpoint, which carries it to disk with its own (both logs are written in
 *   order). Only for rows whose loss fails closed: a connect session's or a sign-in attempt's,
 *   after which the token or the callback is refused and the end user starts again.
 */
export type Durability = 'flushed' | 'deferred';

/** `PRAGMA synchronous` per durability: in WAL mode, NORMAL syncs the log only at checkpoints. */
export const SQLITE_SYNCHRONOUS = { flushed: 'FULL', deferred: 'NORMAL' } as const;

/** Runs one transaction of `db` with the commit `work` asks for. */
export type RunTransaction<DB> = <T>(
  work: (trx: Kysely<DB>) => Promise<T>,
  durability: Durability,
) => Promise<T>;

/**
 * Transactions on `db` whose commit is flushed or deferred, as asked.
 *
 * On SQLite the connection's `synchronous` is lowered for the transaction and restored after
 * it; SQLite refuses to change it inside one, and Kysely's one SQLite connection is held from
 * the first pragma to the second, so no other transaction commits at the lowered level. On
 * PostgreSQL `synchronous_commit` is turned off for the transaction alone (`set local`).
 */
export function transactions<DB>(
  db: Kysely<DB>,
  dialect: 'sqlite' | 'postgres',
): RunTransaction<DB> {
  const flushed = <T>(work: (trx: Kysely<DB>) => Promise<T>) => db.transaction().execute(work);
  if (dialect === 'postgres') {
    const deferCommit = sql`set local synchronous_commit = off`.compile(db);
    return (work, durability) =>
      durability === 'flushed'
        ? flushed(work)
        : db.transaction().execute(async (trx) => {
            await trx.executeQuery(deferCommit);
            return work(trx);
          });
  }
  const lower = sql.raw(`pragma synchronous = ${SQLITE_SYNCHRONOUS.deferred}`).compile(db);
  const restore = sql.raw(`pragma synchronous = ${SQLITE_SYNCHRONOUS.flushed}`).compile(db);
  return (work, durability) =>
    durability === 'flushed'
      ? flushed(work)
      : db.connection().execute(async (connection) => {
          await connection.executeQuery(lower);
          try {
            return await connection.transaction().execute(work);
          } finally {
            await connection.executeQuery(restore);
          }
        });
}
