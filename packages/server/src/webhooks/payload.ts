import { connectionSummary } from '../connections/view.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { TokenKind, WebhookEvent, WebhookEventType } from '@pingone-connect/protocol';

/** The body of every webhook (DESIGN §4.7): whose connection changed, never a token. */
export type WebhookPayload = WebhookEvent;

/** What a disconnect did at PingOne (`connection.deleted`), as the webhook says it. */
export interface RevocationFields {
  readonly revoked: readonly TokenKind[];
  readonly not_revocable: readonly TokenKind[];
}

/** The payload of `type` for `connection`, as it will be signed and sent. */
export function webhookPayload(
  type: WebhookEventType,
  connection: ConnectionRecord,
  at: number,
  revocation?: RevocationFields,
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
      status: summary.status,
      status_reason: summary.status_reason,
      reauth_by: summary.reauth_by,
      ...(revocation
        ? { revoked: [...revocation.revoked], not_revocable: [...revocation.not_revocable] }
        : {}),
    },
  };
}
