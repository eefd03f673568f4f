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

/**
 * Why a connection is `needs_reauth` (DESIGN §4.10): PingOne refused its refresh token because
 * the end user's sign-on session ended (`session_ended`: signoff, its 30 days, deletion or
 * purge), because the refresh token outlived its duration or rolling cap
 * (`refresh_token_expired`), for no reason the server can tell (`invalid_grant`), on the retry
 * of a refresh interrupted by a crash (`refresh_interrupted`), or because the grant was revoked
 * (`revoked`).
 */
export type ConnectionStatusReason =
  'session_ended' | 'refresh_token_expired' | 'invalid_grant' | 'refresh_interrupted' | 'revoked';

/** The kinds of token a connection holds that PingOne's revocation endpoint is asked about. */
export type TokenKind = 'refresh_token' | 'access_token';

/** `201` answer of `POST /connect/sessions`: hand `token` to the `<pingone-connect>` element. */
export interface ConnectSession {
  /** Short-lived, single-use session token. Treat it as a secret: never log it. */
  token: string;
  expires_at: string;
  /** The session's id, to revoke it while unused (`revokeConnectSession`). Not a secret. */
  jti: string;
  /**
   * Only when the session was made with `link`: the hosted connect page to hand the end user
   * (e-mail, chat, a QR code). Single use; it carries a secret, so treat it like the token.
   */
  connect_link?: string;
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
  /** Why the connection is `needs_reauth`; null while `active`. */
  status_reason: ConnectionStatusReason | null;
  /**
   * The latest time the connection is expected to keep working without the end user signing
   * on again, from the sign-on time and the integration's refresh token settings (DESIGN
   * §4.10); a `connection.expiring` webhook comes some days before. Null for a connection made
   * before the server kept sign-on times.
   */
  reauth_by: string | null;
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

/**
 * Answer of `DELETE /connections/:id`: the connection is gone, and these are the tokens PingOne
 * revoked, and those it does not let anyone revoke (PingOne API tokens, which stay valid until
 * they expire or the end user's sign-on session ends). A revocation that failed is in neither.
 */
export interface DeletedConnection {
  deleted: true;
  revoked: TokenKind[];
  not_revocable: TokenKind[];
}
