import { connectionSummary, present } from '../connections/view.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { SessionRecord } from '../store/sessions.js';
import type {
  ConnectFailedEvent,
  ConnectionEvent,
  ConnectionEventType,
  ResultError,
  TokenKind,
  WebhookEvent,
} from '@pingone-connect/protocol';

/** The body of every webhook (DESIGN §4.7): never a token. */
export type WebhookPayload = WebhookEvent;

/** What a disconnect did at PingOne (`connection.deleted`), as the webhook says it. */
export interface RevocationFields {
  readonly revoked: readonly TokenKind[];
  readonly not_revocable: readonly TokenKind[];
}

/** The payload of `type` for `connection`, as it will be signed and sent. */
export function webhookPayload(
  type: ConnectionEventType,
  connection: ConnectionRecord,
  at: number,
  revocation?: RevocationFields,
): ConnectionEvent {
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

/**
 * The payload of `connect.failed` for an attempt of `session` that ended with `error`: whose
 * attempt it was and its code (DESIGN §4.7), for a backend that handed out a connect link.
 */
export function connectFailedPayload(
  session: SessionRecord,
  attemptId: string,
  error: ResultError,
  at: number,
): ConnectFailedEvent {
  return {
    type: 'connect.failed',
    timestamp: new Date(at).toISOString(),
    data: {
      connection_id: session.connectionId,
      integration_id: session.integrationId,
      end_user: present({
        id: session.endUser.id,
        email: session.endUser.email,
        display_name: session.endUser.displayName,
      }),
      organization: session.organization
        ? present({ id: session.organization.id, display_name: session.organization.displayName })
        : null,
      attempt_id: attemptId,
      error,
    },
  };
}

/** Who a queued event is about, as the operations log files it: read from its own payload. */
export function eventSubject(payload: string): {
  readonly integrationId: string;
  readonly endUserId: string;
  readonly connectionId: string | null;
} {
  const { data } = JSON.parse(payload) as WebhookPayload;
  return {
    integrationId: data.integration_id,
    endUserId: data.end_user.id,
    connectionId: data.connection_id,
  };
}
