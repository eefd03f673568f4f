import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Deletes what outlived the retention period (`LOG_RETENTION_DAYS`), oldest first, a bounded
 * batch per statement: each statement is its own short transaction that locks only the rows
 * it deletes, found through an index on their time, so requests writing or reading the same
 * tables meanwhile wait for one batch at most, never for the whole prune.
 */
export class RetentionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Deletes up to `limit` operations-log rows written before `before`; the number deleted. */
  async pruneLogs(before: number, limit: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('logs')
      .where('id', 'in', (db) =>
        db
          .selectFrom('logs')
          .select('id')
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes up to `limit` webhook delivery attempts started before `before`; the number deleted. */
  async pruneDeliveries(before: number, limit: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('webhook_deliveries')
      .where('id', 'in', (db) =>
        db
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('started_at', '<', before)
          .orderBy('started_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Deletes up to `limit` outbox events that finished (delivered, or failed for good) before
   * `before` and have no delivery attempt left in the delivery log: prune the deliveries
   * first. An event redelivered recently keeps its attempts, and so is kept with them (the
   * attempts cascade with their event). Events still due or being retried are never deleted,
   * whatever their age: they are the queue.
   */
  async pruneFinishedEvents(before: number, limit: number): Promise<number> {
    let deleted = 0;
    for (const column of ['delivered_at', 'failed_at'] as const) {
      if (deleted >= limit) break;
      const result = await this.#db
        .deleteFrom('webhook_outbox')
        .where('id', 'in', (db) =>
          db
            .selectFrom('webhook_outbox as event')
            .select('event.id')
            .where(`event.${column}`, '<', before)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('webhook_deliveries')
                    .select('webhook_deliveries.id')
                    .whereRef('webhook_deliveries.event_id', '=', 'event.id'),
                ),
              ),
            )
            .orderBy(`event.${column}`)
            .limit(limit - deleted),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }
}
