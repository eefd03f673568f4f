/**
 * The server's JSON shapes (DESIGN §4.2), exactly as they travel: snake_case, timestamps as
 * ISO 8601 strings. The client returns them untranslated so that what you log, store or
 * compare is what the HTTP API, the OpenAPI description and the webhooks say.
 */

/** Your user, as you described them when minting the connect session. */
export interface EndUser {
  id: string;
  email?: string;
  display_name?: string;
}

/** The organization (tenant, workspace…) your user belongs to, when you gave one. */
export interface Organization {
  id: string;
  display_name?: string;
}

/** The PingOne account the end user signed in with (claims of its ID token). */
export interface ProviderAccount {
  sub: string;
  email?: string;
  name?: string;
}

/** `needs_reauth`: PingOne refused the refresh token; the end user has to connect again. */
export type ConnectionStatus = 'active' | 'needs_reauth';

/** Why a connection is `needs_reauth` (see {@link ConnectionSummary.status_reason}). */
export type ConnectionStatusReason = 'invalid_grant' | 'refresh_interrupted';

/** `201` answer of `POST /connect/sessions`: hand `token` to the `<pingone-connect>` element. */
export interface ConnectSession {
  /** Short-lived, single-use session token. Treat it as a secret: never log it. */
  token: string;
  expires_at: string;
  /** The session's id, to revoke it while unused (`revokeConnectSession`). Not a secret. */
  jti: string;
}

/** A connection as listed by `GET /connections`: everything but the credentials. */
export interface ConnectionSummary {
  id: string;
  integration_id: string;
  end_user: EndUser;
  /** Absent when the session named none. */
  organization?: Organization;
  provider_account: ProviderAccount;
  scopes: string[];
  status: ConnectionStatus;
  /**
   * Why the connection is `needs_reauth`: PingOne refused its refresh token (`invalid_grant`),
   * or refused it when a refresh interrupted by a crash was retried (`refresh_interrupted`).
   * Null while `active`.
   */
  status_reason: ConnectionStatusReason | null;
  created_at: string;
  updated_at: string;
}

/** PingOne tokens of a connection, refreshed by the server before they expire. */
export interface Credentials {
  access_token: string;
  /** Absent when PingOne issued none. */
  refresh_token?: string;
  /** Absent when PingOne issued none. */
  id_token?: string;
  token_type: string;
  /** Space-separated scopes granted by PingOne. */
  scope: string;
  /** When `access_token` expires; absent when PingOne did not say. */
  expires_at?: string;
}

/** A connection with its current credentials (`GET /connections/:id`). */
export interface Connection extends ConnectionSummary {
  credentials: Credentials;
}

/** One page of a cursor-paginated list; pass `next_cursor` back as `cursor` for the next one. */
export interface Page<T> {
  data: T[];
  /** `null` on the last page. */
  next_cursor: string | null;
}

/**
 * One entry of the server's operations log (`GET /logs`). Typed loosely on purpose: the set of
 * entry types grows with the server, so unknown values are kept rather than refused.
 */
export interface LogEntry {
  id: string;
  /** When it happened (ISO 8601). */
  at: string;
  /**
   * What happened, e.g. `attempt.succeeded`, `connection.created`, `connection.refreshed`,
   * `proxy.request`, `webhook.delivered`.
   */
  type: string;
  level: 'debug' | 'info' | 'warn' | 'error' | (string & {});
  /** Your user the entry concerns, when it concerns one. */
  end_user_id?: string | null;
  connection_id?: string | null;
  attempt_id?: string | null;
  integration_id?: string | null;
  message: string;
  details?: Record<string, unknown> | null;
}

/** The events the server sends to `WEBHOOK_URL` (DESIGN §4.7). */
export type WebhookEventType =
  'connection.created' | 'connection.updated' | 'connection.deleted' | 'connection.refresh_failed';

/**
 * A verified webhook. It never carries a token: call `getConnection(data.connection_id)` for
 * credentials.
 */
export interface WebhookEvent {
  type: WebhookEventType;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: {
    connection_id: string;
    integration_id: string;
    end_user: EndUser;
    /** Absent or `null` when the session named none. */
    organization?: Organization | null;
  };
}
