import type { Kysely, Selectable } from 'kysely';
import type { WebhookDeliveryOutcome, WebhookEventType } from '@pingone-connect/protocol';
import type { Database, WebhookDeliveriesTable, WebhookOutboxTable } from './schema.js';

/** The longest `error` kept: a description made by the dispatcher, never a body. */
export const DELIVERY_ERROR_MAX_LENGTH = 200;

/** How an attempt ended; each outcome carries exactly the fields it has. */
export type DeliveryResult =
  | { readonly outcome: 'delivered'; readonly responseStatus: number }
  | { readonly outcome: 'failed'; readonly responseStatus: number; readonly error: string }
  | { readonly outcome: 'error'; readonly error: string };

/** One delivery attempt, as the dispatcher records it. */
export interface NewWebhookDelivery {
  /** `whd_…`, minted at `startedAt`. */
  readonly id: string;
  /** The outbox event (`evt_…`, the `webhook-id`). */
  readonly eventId: string;
  readonly attempt: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly result: DeliveryResult;
  /** When the next attempt is planned; null when none is. */
  readonly nextAttemptAt: number | null;
  /** The attempt a redelivery asked for. */
  readonly redelivery: boolean;
}

/** A delivery attempt as listed: with its event's type and connection. */
export interface WebhookDeliveryRecord extends NewWebhookDelivery {
  readonly eventType: WebhookEventType;
  readonly connectionId: string | null;
}

/** Filters and cursor of a delivery listing, newest first. */
export interface DeliveryQuery {
  readonly eventId?: string;
  readonly eventType?: WebhookEventType;
  readonly outcome?: WebhookDeliveryOutcome;
  readonly connectionId?: string;
  /** Only attempts started at or after this time. */
  readonly since?: number;
  /** Only attempts started before this time. */
  readonly until?: number;
  /** Only attempts with an id before this one (the previous page's last). */
  readonly before?: string;
  readonly limit: number;
}

type ListedRow = Selectable<WebhookDeliveriesTable> &
  Pick<Selectable<WebhookOutboxTable>, 'event_type' | 'connection_id'>;

function resultOf(row: Selectable<WebhookDeliveriesTable>): DeliveryResult {
  const error = row.error ?? '';
  switch (row.outcome) {
    case 'delivered':
      return { outcome: 'delivered', responseStatus: Number(row.response_status) };
    case 'failed':
      return { outcome: 'failed', responseStatus: Number(row.response_status), error };
    case 'error':
      return { outcome: 'error', error };
  }
}

function toDelivery(row: ListedRow): WebhookDeliveryRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type as WebhookEventType,
    connectionId: row.connection_id,
    attempt: Number(row.attempt),
    startedAt: Number(row.started_at),
    durationMs: Number(row.duration_ms),
    result: resultOf(row),
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    redelivery: Number(row.redelivery) === 1,
  };
}

/**
 * The `webhook_deliveries` table: every delivery attempt (DESIGN §4.7), written by the
 * dispatcher in the transaction that records the attempt's outcome on the event.
 */
export class DeliveryRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(delivery: NewWebhookDelivery): Promise<void> {
    const { result } = delivery;
    await this.#db
      .insertInto('webhook_deliveries')
      .values({
        id: delivery.id,
        event_id: delivery.eventId,
        attempt: delivery.attempt,
        started_at: delivery.startedAt,
        duration_ms: Math.max(0, Math.round(delivery.durationMs)),
        outcome: result.outcome,
        response_status: result.outcome === 'error' ? null : result.responseStatus,
        error: result.outcome === 'delivered' ? null : bounded(result.error),
        next_attempt_at: delivery.nextAttemptAt,
        redelivery: delivery.redelivery ? 1 : 0,
      })
      .execute();
  }

  /** Attempt `id`, or undefined when there is none. */
  async find(id: string): Promise<WebhookDeliveryRecord | undefined> {
    const row = await this.#listed().where('d.id', '=', id).executeTakeFirst();
    return row && toDelivery(row);
  }

  /** Attempts matching `query`, newest first. */
  async list(query: DeliveryQuery): Promise<WebhookDeliveryRecord[]> {
    let select = this.#listed();
    if (query.eventId !== undefined) select = select.where('d.event_id', '=', query.eventId);
    if (query.eventType !== undefined) select = select.where('e.event_type', '=', query.eventType);
    if (query.outcome !== undefined) select = select.where('d.outcome', '=', query.outcome);
    if (query.connectionId !== undefined) {
      select = select.where('e.connection_id', '=', query.connectionId);
    }
    if (query.since !== undefined) select = select.where('d.started_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('d.started_at', '<', query.until);
    if (query.before !== undefined) select = select.where('d.id', '<', query.before);
    const rows = await select.orderBy('d.id', 'desc').limit(query.limit).execute();
    return rows.map(toDelivery);
  }

  #listed() {
    return this.#db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_outbox as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select(['e.event_type', 'e.connection_id']);
  }
}

/** `error` cut to {@link DELIVERY_ERROR_MAX_LENGTH} characters. */
function bounded(error: string): string {
  return error.length <= DELIVERY_ERROR_MAX_LENGTH
    ? error
    : `${error.slice(0, DELIVERY_ERROR_MAX_LENGTH - 1)}…`;
}
