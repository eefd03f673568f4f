import type {
  ConnectionStatus,
  ConnectionStatusReason,
  EndUser,
  Organization,
  TokenKind,
} from './connection.js';

/** The events the server sends to `WEBHOOK_URL` (DESIGN §4.7). */
export const WEBHOOK_EVENT_TYPES = [
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'connection.refresh_failed',
  'connection.expiring',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const types: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && types.has(value);
}

/**
 * The body of every webhook: whose connection changed, never a token. Call
 * `getConnection(data.connection_id)` for credentials.
 */
export interface WebhookEvent {
  type: WebhookEventType;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: {
    connection_id: string;
    integration_id: string;
    end_user: EndUser;
    /** `null` when the session named none. */
    organization: Organization | null;
    /** The connection's status when the event happened (the last one, for `connection.deleted`). */
    status: ConnectionStatus;
    status_reason: ConnectionStatusReason | null;
    /** See `ConnectionSummary.reauth_by`; for `connection.expiring`, the time it is about. */
    reauth_by: string | null;
    /** `connection.deleted` only: the tokens PingOne revoked (see `DeletedConnection`). */
    revoked?: TokenKind[];
    /** `connection.deleted` only: the tokens PingOne does not let anyone revoke. */
    not_revocable?: TokenKind[];
  };
}
