import type { AttemptRepository } from './attempts.js';
import type { ConnectionRepository } from './connections.js';
import type { DashboardSessionRepository } from './dashboard-sessions.js';
import type { DeliveryRepository } from './deliveries.js';
import type { Durability } from './durability.js';
import type { IntegrationRepository } from './integrations.js';
import type { BatchingJournalRepository, JournalRepository } from './journal.js';
import type { LinkRepository } from './links.js';
import type { OutboxRepository } from './outbox.js';
import type { RateLimitRepository } from './rate-limits.js';
import type { RetentionRepository } from './retention.js';
import type { SealedValueRepository } from './sealed-values.js';
import type { SessionRepository } from './sessions.js';
import type { StatsRepository } from './stats.js';

/**
 * The tables, one repository per aggregate, each with explicit methods so that every call
 * site says what it does. State changes are conditional updates that return the row they
 * wrote, or undefined when they lost: that is what makes single use (state, sessions) and the
 * refresh fences hold across requests and replicas.
 */
export interface Repositories {
  readonly sessions: SessionRepository;
  readonly attempts: AttemptRepository;
  /** Connect links (DESIGN §4.9). */
  readonly links: LinkRepository;
  readonly connections: ConnectionRepository;
  /** The integrations made through the API (DESIGN §4.8). */
  readonly integrations: IntegrationRepository;
  readonly outbox: OutboxRepository;
  /** Every webhook delivery attempt (DESIGN §4.7). */
  readonly deliveries: DeliveryRepository;
  /** The operations-log rows. */
  readonly journal: JournalRepository;
  /** Signed-in operators of the dashboard (DESIGN §4.11). */
  readonly dashboardSessions: DashboardSessionRepository;
}

/** The repositories inside one transaction: every write commits with the others, or none does. */
export interface Transaction extends Repositories {
  /**
   * Runs `work` once the transaction has committed, in the order registered; never when it
   * rolls back. What must not happen for a change that did not commit — a log line, waking the
   * webhook dispatcher — goes here.
   */
  afterCommit(work: () => void): void;
}

/** Everything the server keeps (DESIGN §4.6), on SQLite or PostgreSQL. */
export interface Store extends Repositories {
  /** The operations log; rows written here, in no transaction, are batched. */
  readonly journal: BatchingJournalRepository;
  /** `sqlite` or `postgres`. */
  readonly dialect: 'sqlite' | 'postgres';
  /** The request counters the replicas share; used on PostgreSQL only (DESIGN §4.11). */
  readonly rateLimits: RateLimitRepository;
  /** Deletes what outlived `LOG_RETENTION_DAYS`, in batches, outside any transaction. */
  readonly retention: RetentionRepository;
  /** Aggregate counts for `/metrics` and the dashboard's overview. */
  readonly stats: StatsRepository;
  /** Every encrypted column, for `rotate-encryption-key`. */
  readonly sealed: SealedValueRepository;
  /**
   * Runs `fn` in one transaction: all of its writes commit together or none do. The commit is
   * `flushed` to disk before this resolves unless `durability` is `deferred` (see
   * {@link Durability}: only for rows whose loss to a power cut fails closed).
   */
  transaction<T>(
    fn: (trx: Transaction) => Promise<T>,
    options?: { readonly durability?: Durability },
  ): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** Commits the queued log rows, then closes the database (SQLite checkpoints its WAL). */
  close(): Promise<void>;
}
