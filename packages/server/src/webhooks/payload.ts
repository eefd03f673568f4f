import { connectionSummary } from '../connections/view.js';
import type { ConnectionSummary } from '../schemas.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { WebhookEventType } from './event-types.js';

/** The body of every webhook (DESIGN §4.7): whose connection changed, never a token. */
export interface WebhookPayload {
  readonly type: WebhookEventType;
  /** When the change happened (ISO 8601). */
  readonly timestamp: string;
  readonly data: {
    readonly connection_id: string;
    readonly integration_id: string;
    readonly end_user: ConnectionSummary['end_user'];
    readonly organization: NonNullable<ConnectionSummary['organization']> | null;
  };
}

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
