import type {
  ConnectionStatus,
  ConnectionStatusReason,
  EndUser,
  Organization,
  TokenKind,
} from './connection.js';
import type { ResultError } from './result-error.js';

/** The events the server sends to `WEBHOOK_URL` (DESIGN §4.7). */
export const WEBHOOK_EVENT_TYPES = [
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'connection.refresh_failed',
  'connection.expiring',
  'connect.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The events about a connection that exists (or just stopped existing). */
export type ConnectionEventType = Exclude<WebhookEventType, 'connect.failed'>;

const types: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && types.has(value);
}

/**
 * The body of a connection's webhook: whose connection changed, never a token. Call
 * `getConnection(data.connection_id)` for credentials.
 */
export interface ConnectionEvent {
  type: ConnectionEventType;
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

/**
 * `connect.failed`: an end user's attempt ended in an error (never sent for `popup_closed`,
 * which only the element knows of). How a backend learns that a connect link was not used
 * to connect, or that a reconnect was refused.
 */
export interface ConnectFailedEvent {
  type: 'connect.failed';
  /** When the attempt ended (ISO 8601). */
  timestamp: string;
  data: {
    /** The connection a reconnect session was for; `null` for a new connection. */
    connection_id: string | null;
    integration_id: string;
    end_user: EndUser;
    /** `null` when the session named none. */
    organization: Organization | null;
    attempt_id: string;
    /** How it ended, as the element and attempt polling report it. */
    error: ResultError;
  };
}

/** The body of every webhook (DESIGN §4.7); never a token. Switch on `type`. */
export type WebhookEvent = ConnectionEvent | ConnectFailedEvent;
