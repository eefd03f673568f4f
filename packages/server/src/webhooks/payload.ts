import { connectionSummary } from '../connections/view.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { WebhookEvent, WebhookEventType } from '@pingone-connect/protocol';

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
