import { sql, type Kysely } from 'kysely';
import type { ConnectionsTable, Database } from './schema.js';

const HOUR_MS = 3_600_000;

/** The webhook events still to deliver. */
export interface OutboxBacklog {
  /** Events neither delivered nor given up. */
  readonly depth: number;
  /** When the oldest of them was queued (epoch ms); null when there is none. */
  readonly oldestCreatedAt: number | null;
}

/** How many connections an integration has in one status. */
export interface ConnectionCount {
  readonly integrationId: string;
  readonly status: ConnectionsTable['status'];
  readonly count: number;
}

/** How many operations-log rows of one event fell in one hour. */
export interface HourlyCount {
  readonly event: string;
  /** The hour's start, epoch milliseconds. */
  readonly hour: number;
  readonly count: number;
}

/**
 * Counts for `/metrics`, read at scrape time, and for the dashboard's overview (DESIGN §4.11):
 * aggregates only, one query each, never a row's content, never on a hot path.
 */
export class StatsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * The outbox events waiting: `delivered_at is null` is the leading column of the
   * `webhook_outbox_due` index, and delivered events, the bulk of the table, are not read.
   */
  async outboxBacklog(): Promise<OutboxBacklog> {
    const row = await this.#db
      .selectFrom('webhook_outbox')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('depth'),
        eb.fn.min('created_at').as('oldest'),
      ])
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return {
      depth: Number(row.depth),
      oldestCreatedAt: row.oldest === null ? null : Number(row.oldest),
    };
  }

  /** Connections by integration and status: one grouped count over the table. */
  async connectionsByStatus(): Promise<ConnectionCount[]> {
    const rows = await this.#db
      .selectFrom('connections')
      .select((eb) => ['integration_id', 'status', eb.fn.countAll<number | string>().as('count')])
      .groupBy(['integration_id', 'status'])
      .execute();
    return rows.map((row) => ({
      integrationId: row.integration_id,
      status: row.status,
      count: Number(row.count),
    }));
  }

  /** Rows of `events` since `since`, counted by event and hour. */
  async hourlyCounts(events: readonly string[], since: number): Promise<HourlyCount[]> {
    if (events.length === 0) return [];
    // Integer division on both engines: the bigint column divided by an integer.
    const bucket = sql<number>`created_at / ${sql.lit(HOUR_MS)}`;
    const rows = await this.#db
      .selectFrom('logs')
      .select(['event', bucket.as('bucket'), (eb) => eb.fn.countAll<number>().as('count')])
      .where('event', 'in', events)
      .where('created_at', '>=', since)
      .groupBy(['event', bucket])
      .execute();
    return rows.map((row) => ({
      event: row.event,
      hour: Math.floor(Number(row.bucket)) * HOUR_MS,
      count: Number(row.count),
    }));
  }
}
