import type { WebhookEvent, WebhookEventType } from '@pingone-connect/protocol';
import type { Config } from '../config.js';
import { connectionSummary } from '../connections/view.js';
import { newId } from '../ids.js';
import type { ConnectionRecord, Store } from '../store/store.js';

/** The body of every webhook (DESIGN §4.7): whose connection changed, never a token. */
export type WebhookPayload = WebhookEvent;

/** The payload of `type` for `connection`, as it will be signed and sent. */
export function webhookPayload(
  type: WebhookEventType,
  connection: ConnectionRecord,
  at: number,
): WebhookPayload {
  const summary = connectionSummary(connection);
  return {
    type,
    timestamp: new Date(at).toISOString(),
    data: {
      connection_id: summary.id,
      integration_id: summary.integration_id,
      end_user: summary.end_user,
      organization: summary.organization ?? null,
    },
  };
}

/**
 * Puts an event about `connection` in the outbox. Pass the transaction's store: the event
 * commits with the change it describes, or not at all, so a crash can neither lose an event
 * of a committed change nor send one for a change that rolled back (DESIGN §6.4). Does nothing
 * when no `WEBHOOK_URL` is configured.
 */
export async function queueWebhook(
  trx: Store,
  config: Config,
  type: WebhookEventType,
  connection: ConnectionRecord,
  at: number,
): Promise<void> {
  if (!config.webhook) return;
  await trx.insertWebhookEvent({
    id: newId('evt', at),
    type,
    payload: JSON.stringify(webhookPayload(type, connection, at)),
    createdAt: at,
  });
}
