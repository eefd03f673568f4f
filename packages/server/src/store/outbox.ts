import type { Kysely, Selectable } from 'kysely';
import type { WebhookEventType } from '@pingone-connect/protocol';
import type { Database, WebhookOutboxTable } from './schema.js';

/** An event to put in the webhook outbox; due at once. */
export interface NewWebhookEvent {
  /** `evt_…`: also the `webhook-id`, the same on every attempt so receivers can deduplicate. */
  readonly id: string;
  readonly type: WebhookEventType;
  /** The JSON body, exactly as it will be signed and sent. */
  readonly payload: string;
  readonly createdAt: number;
}

/** An outbox event claimed for delivery. */
export interface WebhookEventRecord extends NewWebhookEvent {
  /** Delivery attempts made before this one. */
  readonly attempts: number;
}

function toWebhookEvent(row: Selectable<WebhookOutboxTable>): WebhookEventRecord {
  return {
    id: row.id,
    type: row.event_type as WebhookEventType,
    payload: row.payload,
    createdAt: Number(row.created_at),
    attempts: Number(row.attempts),
  };
}

/**
 * The `webhook_outbox` table (DESIGN §4.7): events are inserted in the transaction of the
 * change they describe, and claimed for delivery with a lease.
 */
export class OutboxRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: 'sqlite' | 'postgres';

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Puts an event in the outbox, due at once. Only the journal calls this, inside the change's
   * transaction, so that the dispatcher is always woken once it commits.
   */
  async insert(event: NewWebhookEvent): Promise<WebhookEventRecord> {
    const row = await this.#db
      .insertInto('webhook_outbox')
      .values({
        id: event.id,
        event_type: event.type,
        payload: event.payload,
        created_at: event.createdAt,
        next_attempt_at: event.createdAt,
        attempts: 0,
        delivered_at: null,
        last_error: null,
        failed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWebhookEvent(row);
  }

  /**
   * Claims up to `limit` events due by `now` (undelivered, not failed), oldest first, each until
   * `leaseUntil`: another dispatcher, in this process or another, does not see them again before
   * then, so a crash mid-delivery only delays the event. Returns the events this caller won.
   *
   * One statement: the claim moves each event's due time to the end of the lease. On PostgreSQL
   * the inner select locks the rows it picks `FOR UPDATE SKIP LOCKED`, so concurrent claims by
   * several replicas take disjoint events without waiting on each other, and an event is won
   * by exactly one of them. SQLite runs one writer at a time, so the statement is atomic there
   * as it stands.
   */
  async claimDue(now: number, leaseUntil: number, limit: number): Promise<WebhookEventRecord[]> {
    const rows = await this.#db
      .updateTable('webhook_outbox')
      .set({ next_attempt_at: leaseUntil })
      .where('id', 'in', (db) =>
        db
          .selectFrom('webhook_outbox')
          .select('id')
          .where('delivered_at', 'is', null)
          .where('failed_at', 'is', null)
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit)
          .$if(this.#dialect === 'postgres', (select) => select.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
    // RETURNING follows no order; delivery goes oldest first.
    return rows
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(toWebhookEvent);
  }

  /** Records a successful delivery. */
  async markDelivered(id: string, attempts: number, at: number): Promise<void> {
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts, delivered_at: at, last_error: null })
      .where('id', '=', id)
      .execute();
  }

  /** Records a failed attempt and when to try again. */
  async scheduleRetry(
    id: string,
    attempts: number,
    nextAttemptAt: number,
    error: string,
  ): Promise<void> {
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts, next_attempt_at: nextAttemptAt, last_error: error })
      .where('id', '=', id)
      .execute();
  }

  /** Records the last failed attempt: the event is not sent again. */
  async markFailed(id: string, attempts: number, at: number, error: string): Promise<void> {
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts, failed_at: at, last_error: error })
      .where('id', '=', id)
      .execute();
  }
}
