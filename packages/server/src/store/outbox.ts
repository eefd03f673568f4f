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
  /** The payload's `data.connection_id`, kept beside it for the delivery log's filter. */
  readonly connectionId: string | null;
  readonly createdAt: number;
}

/** An outbox event as stored. */
export interface WebhookEventRecord extends NewWebhookEvent {
  /** Delivery attempts made so far. */
  readonly attempts: number;
  /** Attempts made before the last redelivery; the retry budget counts from here. */
  readonly attemptsBeforeRedelivery: number;
  /** When the next attempt is due; for a claimed event, when its lease ends. */
  readonly nextAttemptAt: number;
  readonly deliveredAt: number | null;
  /** When it was given up after its last attempt. */
  readonly failedAt: number | null;
  /** A redelivery was asked for and no attempt has been made for it yet. */
  readonly redeliveryRequested: boolean;
}

/** The claim a dispatcher holds on an event: the event as {@link OutboxRepository.claimDue} returned it. */
export type Claim = Pick<WebhookEventRecord, 'id' | 'nextAttemptAt'>;

function toWebhookEvent(row: Selectable<WebhookOutboxTable>): WebhookEventRecord {
  return {
    id: row.id,
    type: row.event_type as WebhookEventType,
    payload: row.payload,
    connectionId: row.connection_id,
    createdAt: Number(row.created_at),
    attempts: Number(row.attempts),
    attemptsBeforeRedelivery: Number(row.attempts_before_redelivery),
    nextAttemptAt: Number(row.next_attempt_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    failedAt: row.failed_at === null ? null : Number(row.failed_at),
    redeliveryRequested: row.redelivery_requested_at !== null,
  };
}

/**
 * The `webhook_outbox` table (DESIGN §4.7): events are inserted in the transaction of the
 * change they describe, and claimed for delivery with a lease.
 */
export class OutboxRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
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
        connection_id: event.connectionId,
        created_at: event.createdAt,
        next_attempt_at: event.createdAt,
        attempts: 0,
        attempts_before_redelivery: 0,
        delivered_at: null,
        last_error: null,
        failed_at: null,
        redelivery_requested_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWebhookEvent(row);
  }

  /** The event `id`, or undefined when there is none. */
  async find(id: string): Promise<WebhookEventRecord | undefined> {
    const row = await this.#db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toWebhookEvent(row);
  }

  /**
   * Claims up to `limit` events due by `now` (undelivered, not failed), oldest first, each until
   * `leaseUntil`: another dispatcher, in this process or another, does not see them again before
   * then, so a crash mid-delivery only delays the event. Returns the events this caller won.
   */
  async claimDue(now: number, leaseUntil: number, limit: number): Promise<WebhookEventRecord[]> {
    const due = await this.#db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: WebhookEventRecord[] = [];
    for (const row of due) {
      // Claimed by moving the event's due time to the end of the lease, if nobody moved it first.
      const won = await this.#db
        .updateTable('webhook_outbox')
        .set({ next_attempt_at: leaseUntil })
        .where('id', '=', row.id)
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '=', row.next_attempt_at)
        .returningAll()
        .executeTakeFirst();
      if (won) claimed.push(toWebhookEvent(won));
    }
    return claimed;
  }

  /*
   * The outcome of an attempt is written only while the claim holds (the event still due at
   * the end of that lease): a redelivery asked for meanwhile, or another dispatcher's claim
   * after the lease ran out, is not overwritten by an older attempt's outcome. Each returns
   * whether it wrote.
   */

  /** Records a successful delivery. */
  async markDelivered(claim: Claim, attempts: number, at: number): Promise<boolean> {
    return this.#settle(claim, {
      attempts,
      delivered_at: at,
      last_error: null,
      redelivery_requested_at: null,
    });
  }

  /** Records a failed attempt and when to try again. */
  async scheduleRetry(
    claim: Claim,
    attempts: number,
    nextAttemptAt: number,
    error: string,
  ): Promise<boolean> {
    return this.#settle(claim, {
      attempts,
      next_attempt_at: nextAttemptAt,
      last_error: error,
      redelivery_requested_at: null,
    });
  }

  /** Records the last failed attempt: the event is not sent again unless redelivered. */
  async markFailed(claim: Claim, attempts: number, at: number, error: string): Promise<boolean> {
    return this.#settle(claim, {
      attempts,
      failed_at: at,
      last_error: error,
      redelivery_requested_at: null,
    });
  }

  /**
   * Queues event `id` again, due at `now`, whatever its state — pending, delivered or given
   * up — with a fresh retry budget: the next attempt sends it with the same `webhook-id`.
   * Returns the event as queued, or undefined when there is no such event.
   */
  async redeliver(id: string, now: number): Promise<WebhookEventRecord | undefined> {
    const row = await this.#db
      .updateTable('webhook_outbox')
      .set((eb) => ({
        next_attempt_at: now,
        delivered_at: null,
        failed_at: null,
        attempts_before_redelivery: eb.ref('attempts'),
        redelivery_requested_at: now,
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toWebhookEvent(row);
  }

  async #settle(
    claim: Claim,
    values: Partial<Omit<Selectable<WebhookOutboxTable>, 'id'>> & { attempts: number },
  ): Promise<boolean> {
    // The count of attempts made holds whoever won: the next attempt gets the next number.
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts: values.attempts })
      .where('id', '=', claim.id)
      .where('attempts', '<', values.attempts)
      .execute();
    const result = await this.#db
      .updateTable('webhook_outbox')
      .set(values)
      .where('id', '=', claim.id)
      .where('next_attempt_at', '=', claim.nextAttemptAt)
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
