/**
 * The connection shapes of the HTTP API (DESIGN §4.2), exactly as they travel: snake_case,
 * timestamps as ISO 8601 strings, an optional value absent rather than null.
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
