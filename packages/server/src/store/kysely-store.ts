import { sql, type Kysely } from 'kysely';
import { AttemptRepository } from './attempts.js';
import { ConnectionRepository } from './connections.js';
import { DashboardSessionRepository } from './dashboard-sessions.js';
import { DeliveryRepository } from './deliveries.js';
import { transactions } from './durability.js';
import { IntegrationRepository } from './integrations.js';
import { BatchingJournalRepository, JournalRepository } from './journal.js';
import { LOG_BATCH_LIMITS, LogBatch, type LogBatchLimits } from './log-batch.js';
import { LinkRepository } from './links.js';
import { OutboxRepository } from './outbox.js';
import { RateLimitRepository } from './rate-limits.js';
import { RetentionRepository } from './retention.js';
import { SealedValueRepository } from './sealed-values.js';
import type { Database } from './schema.js';
import { SessionRepository } from './sessions.js';
import { StatsRepository } from './stats.js';
import type { Repositories, Store } from './store.js';

/** The repositories over `db`, a database or a transaction. */
function repositories(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Repositories {
  return {
    sessions: new SessionRepository(db),
    attempts: new AttemptRepository(db),
    links: new LinkRepository(db),
    connections: new ConnectionRepository(db),
    integrations: new IntegrationRepository(db, dialect),
    outbox: new OutboxRepository(db, dialect),
    deliveries: new DeliveryRepository(db),
    journal: new JournalRepository(db),
    dashboardSessions: new DashboardSessionRepository(db),
  };
}

/**
 * The {@link Store} over Kysely: the same queries on SQLite and PostgreSQL.
 *
 * @param db An open Kysely instance with the schema migrated; `close()` commits the queued log
 *   rows, then destroys it.
 * @param logBatch When the operations-log rows of no state change commit (see {@link LogBatch}).
 */
export function kyselyStore(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  logBatch: LogBatchLimits = LOG_BATCH_LIMITS,
): Store {
  // Compiled once: `ping()` answers every load balancer probe, and it is always this query.
  // `select 1` rather than a table read: the round trip is what tells that PostgreSQL answers,
  // and on SQLite a closed database refuses it just the same, while a table read in WAL mode
  // pays the shared-memory locks of a read transaction on every probe.
  const pingQuery = sql`select 1`.compile(db);
  // Through `store.transaction`, like every other write, so the batch is one transaction.
  const batch = new LogBatch(
    (rows) => store.transaction((trx) => trx.journal.insertAll(rows)),
    logBatch,
  );
  const runTransaction = transactions(db, dialect);
  const store: Store = {
    dialect,
    ...repositories(db, dialect),
    stats: new StatsRepository(db),
    sealed: new SealedValueRepository(db),
    journal: new BatchingJournalRepository(db, batch),
    rateLimits: new RateLimitRepository(db),
    retention: new RetentionRepository(db),
    async transaction(fn, { durability = 'flushed' } = {}) {
      const committed: (() => void)[] = [];
      const result = await runTransaction(
        (trx) =>
          fn({ ...repositories(trx, dialect), afterCommit: (work) => void committed.push(work) }),
        durability,
      );
      for (const work of committed) {
        try {
          work();
        } catch {
          // The change has committed: work that fails after it must not answer as if it had not.
        }
      }
      return result;
    },
    async ping() {
      await db.executeQuery(pingQuery);
    },
    async close() {
      // Every row acknowledged before a clean shutdown commits before the database closes.
      await batch.close();
      await db.destroy();
    },
  };
  return store;
}
