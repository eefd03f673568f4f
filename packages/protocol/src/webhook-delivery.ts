import type { WebhookEventType } from './webhook-event.js';

/**
 * How one delivery attempt ended (DESIGN §4.7), as the receiver behaved — not whether the
 * dispatcher tries again, which `next_attempt_at` says:
 *
 * - `delivered`: the receiver answered 2xx;
 * - `failed`: it answered, with another status (`response_status` says which);
 * - `error`: no answer came (connection refused, reset, timeout): there is no status.
 *
 * Three values rather than two so that "the receiver refused it" and "the receiver was not
 * reachable" — a bug in the handler or an outage — are told apart without reading `error`.
 */
export const WEBHOOK_DELIVERY_OUTCOMES = ['delivered', 'failed', 'error'] as const;

export type WebhookDeliveryOutcome = (typeof WEBHOOK_DELIVERY_OUTCOMES)[number];

/** What every delivery attempt says, whatever its outcome. */
export interface WebhookDeliveryFields {
  /** `whd_…`: this attempt. */
  id: string;
  /** `evt_…`: the event sent, also its `webhook-id` header, the same on every attempt. */
  event_id: string;
  event_type: WebhookEventType;
  /** The event's connection (`data.connection_id`); `null` when it has none. */
  connection_id: string | null;
  /** 1 for the event's first attempt; counts on across retries and redeliveries. */
  attempt: number;
  /** When the request was sent (ISO 8601). */
  started_at: string;
  /** From sending the request until the answer (or the failure). */
  duration_ms: number;
  /** When the dispatcher tries again after this attempt; `null` when it does not (delivered, or given up). */
  next_attempt_at: string | null;
  /** True for the attempt that a `POST /webhooks/deliveries/:id/redeliver` asked for. */
  redelivery: boolean;
}

/** An attempt the receiver answered with 2xx. */
export interface DeliveredWebhookDelivery extends WebhookDeliveryFields {
  outcome: 'delivered';
  response_status: number;
  error: null;
}

/** An attempt the receiver answered with another status. */
export interface FailedWebhookDelivery extends WebhookDeliveryFields {
  outcome: 'failed';
  response_status: number;
  /** E.g. `HTTP 500`. */
  error: string;
}

/** An attempt that got no answer. */
export interface ErroredWebhookDelivery extends WebhookDeliveryFields {
  outcome: 'error';
  response_status: null;
  /** E.g. `timed out`, `network error ECONNREFUSED`. */
  error: string;
}

/**
 * One delivery attempt of a webhook event (`GET /webhooks/deliveries`); switch on `outcome`.
 * `error` is a short description made by the server: never the receiver's answer body, the
 * URL or a secret.
 */
export type WebhookDelivery =
  DeliveredWebhookDelivery | FailedWebhookDelivery | ErroredWebhookDelivery;

/** Where an event stands in the outbox. */
export type WebhookEventStatus = 'pending' | 'delivered' | 'failed';

/**
 * A webhook event's state in the outbox, as `POST /webhooks/deliveries/:id/redeliver` answers
 * it: `pending` and due at `next_attempt_at` once a redelivery was queued.
 */
export interface WebhookEventState {
  /** `evt_…`, the `webhook-id`. */
  id: string;
  type: WebhookEventType;
  connection_id: string | null;
  status: WebhookEventStatus;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due (ISO 8601); `null` once delivered or given up. */
  next_attempt_at: string | null;
}
