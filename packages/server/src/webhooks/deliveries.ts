import type { z } from 'zod';
import type { Services } from '../context.js';
import { invalidRequest } from '../errors.js';
import { isId } from '../ids.js';
import { decodeCursor, pageSize, toPage } from '../pagination.js';
import type { listWebhookDeliveriesQuery } from '../schemas.js';
import type { WebhookDeliveryRecord } from '../store/deliveries.js';
import type { WebhookEventRecord } from '../store/outbox.js';
import type { Page, WebhookDelivery, WebhookEventState } from '@pingone-connect/protocol';
import { eventSubject } from './payload.js';

const iso = (at: number) => new Date(at).toISOString();

/** A delivery attempt as the API shows it. */
export function deliveryView(record: WebhookDeliveryRecord): WebhookDelivery {
  const fields = {
    id: record.id,
    event_id: record.eventId,
    event_type: record.eventType,
    connection_id: record.connectionId,
    attempt: record.attempt,
    started_at: iso(record.startedAt),
    duration_ms: record.durationMs,
    next_attempt_at: record.nextAttemptAt === null ? null : iso(record.nextAttemptAt),
    redelivery: record.redelivery,
  };
  const { result } = record;
  switch (result.outcome) {
    case 'delivered':
      return {
        ...fields,
        outcome: 'delivered',
        response_status: result.responseStatus,
        error: null,
      };
    case 'failed':
      return {
        ...fields,
        outcome: 'failed',
        response_status: result.responseStatus,
        error: result.error,
      };
    case 'error':
      return { ...fields, outcome: 'error', response_status: null, error: result.error };
  }
}

/** An outbox event's state as the API shows it. */
export function eventStateView(event: WebhookEventRecord): WebhookEventState {
  const status =
    event.deliveredAt !== null ? 'delivered' : event.failedAt !== null ? 'failed' : 'pending';
  return {
    id: event.id,
    type: event.type,
    connection_id: event.connectionId,
    status,
    attempts: event.attempts,
    next_attempt_at: status === 'pending' ? iso(event.nextAttemptAt) : null,
  };
}

/** `GET /webhooks/deliveries`: every delivery attempt, newest first, filtered. */
export async function listDeliveries(
  services: Services,
  query: z.infer<typeof listWebhookDeliveriesQuery>,
): Promise<Page<WebhookDelivery>> {
  const size = pageSize(query.limit);
  const rows = await services.store.deliveries.list({
    ...(query.event_id === undefined ? {} : { eventId: query.event_id }),
    ...(query.event_type === undefined ? {} : { eventType: query.event_type }),
    ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
    ...(query.connection_id === undefined ? {} : { connectionId: query.connection_id }),
    ...(query.since === undefined ? {} : { since: Date.parse(query.since) }),
    ...(query.until === undefined ? {} : { until: Date.parse(query.until) }),
    ...(query.cursor === undefined ? {} : { before: decodeCursor('whd', query.cursor) }),
    limit: size + 1,
  });
  return toPage(rows, size, deliveryView);
}

/**
 * `POST /webhooks/deliveries/:id/redeliver`: queues the event again, due now, whatever its
 * state, with the same `webhook-id` and a fresh retry budget. `id` is the event's (`evt_…`)
 * or one of its deliveries' (`whd_…`): either names the event that is sent again.
 *
 * @throws ApiError `invalid_request` for an id that names no event, as unknown ids are
 *   answered elsewhere.
 */
export async function redeliver(services: Services, id: string): Promise<WebhookEventState> {
  const { store, journal, clock } = services;
  const eventId = isId('whd', id) ? (await store.deliveries.find(id))?.eventId : id;
  const queued =
    eventId === undefined
      ? undefined
      : await store.transaction(async (trx) => {
          const event = await trx.outbox.redeliver(eventId, clock());
          if (!event) return undefined;
          await journal.record(trx, {
            level: 'info',
            event: 'webhook.redelivery_requested',
            message: `Webhook ${event.type} queued for redelivery.`,
            subject: eventSubject(event.payload),
            data: { event_id: event.id, event_type: event.type, attempts: event.attempts },
            requeued: true,
          });
          return event;
        });
  if (!queued) throw invalidRequest('No such webhook event.');
  return eventStateView(queued);
}
