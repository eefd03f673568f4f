import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const HOUR_MS = 3_600_000;

/** How many operations-log rows of one event fell in one hour. */
export interface HourlyCount {
  readonly event: string;
  /** The hour's start, epoch milliseconds. */
  readonly hour: number;
  readonly count: number;
}

/**
 * Counts for the dashboard's overview (DESIGN §4.11), each one aggregate query: read-only, on
 * indexes the other tables already have or on small tables, never on a hot path.
 */
export class OverviewRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
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

  /** Webhook events neither delivered nor given up on. */
  async outboxDepth(): Promise<number> {
    const row = await this.#db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Connections by status. */
  async connectionsByStatus(): Promise<Record<'active' | 'needs_reauth', number>> {
    const rows = await this.#db
      .selectFrom('connections')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    const counts = { active: 0, needs_reauth: 0 };
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }
}
