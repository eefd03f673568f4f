import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The `rate_limits` table: fixed-window request counters shared by every replica on one
 * PostgreSQL database (DESIGN §4.11).
 */
export class RateLimitRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Counts one request against `key` in the window that starts at `windowStart` and returns
   * the window's count, this request included. One statement, atomic under any concurrency:
   * the upsert takes the row's lock, so two replicas never both read the same count. A row
   * left from an earlier window starts again at 1; a replica whose clock is behind counts
   * into the newer window rather than resetting it.
   */
  async hit(key: string, windowStart: number): Promise<number> {
    const row = await this.#db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          count: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.count + 1 else 1 end`,
          window_start: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.window_start else excluded.window_start end`,
        }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Deletes the counters of windows that started before `before`; the number deleted. */
  async purgeBefore(before: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('rate_limits')
      .where('window_start', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
