import type {
  ConnectionStatusReason,
  LogLevel,
  WebhookDeliveryOutcome,
} from '@pingone-connect/protocol';

/**
 * The tables as Kysely sees them (DESIGN §4.6). Portable types only, so one schema and one set
 * of queries serve SQLite and PostgreSQL: `text`, integers, and `bigint` epoch milliseconds for
 * every time; lists and objects are JSON in `text` columns.
 */

/** Why a connection needs the end user to connect again (DESIGN §4.10). */
export type ReauthReason = ConnectionStatusReason;

/** Who a session or a connection is for. */
export interface OwnerColumns {
  integration_id: string;
  end_user_id: string;
  end_user_email: string | null;
  end_user_display_name: string | null;
  organization_id: string | null;
  organization_display_name: string | null;
}

/** `sessions`: one row per minted connect session token (the token itself is never stored). */
export interface SessionsTable extends OwnerColumns {
  jti: string;
  /** JSON array of exact origins. */
  allowed_origins: string;
  /** Space-separated scopes. */
  scopes: string;
  /** The connection a reconnect session must update. */
  connection_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  revoked_at: number | null;
}

/** `attempts`: one per press of the button, from `/oauth/connect` to the callback. */
export interface AttemptsTable {
  /** The id the element chose, echoed in its result message. */
  id: string;
  session_jti: string;
  integration_id: string;
  /** The host page's exact origin: the only `postMessage` target. */
  origin: string;
  /** SHA-256 (hex) of the `state` sent to PingOne. */
  state_hash: string;
  /** The PKCE verifier as a JWE. */
  code_verifier: string;
  nonce: string;
  /** SHA-256 (hex) of the browser-binding cookie. */
  binding_hash: string;
  scopes: string;
  status: 'pending' | 'exchanging' | 'success' | 'error';
  /** How the outcome is reported (DESIGN §4.9). */
  mode: 'popup' | 'redirect' | 'link';
  /** `redirect`: the host page to send the browser back to; `link`: the link's `return_url`. */
  return_to: string | null;
  connection_id: string | null;
  /** JSON `ResultError` when `status` is `error`. */
  error: string | null;
  created_at: number;
  expires_at: number;
  completed_at: number | null;
}

/** `connections`: unique per (integration, end user, PingOne `sub`). */
export interface ConnectionsTable extends OwnerColumns {
  id: string;
  sub: string;
  provider_email: string | null;
  provider_name: string | null;
  scopes: string;
  /** The credentials JSON as a JWE. */
  credentials: string;
  /** When the access token expires; null when PingOne did not say. */
  expires_at: number | null;
  status: 'active' | 'needs_reauth';
  /** Why it is `needs_reauth`; null while active. */
  status_reason: ReauthReason | null;
  created_at: number;
  updated_at: number;
  /** Cross-replica refresh lock: who holds it and until when. */
  refresh_lock_id: string | null;
  refresh_lock_expires_at: number | null;
  /** Set when PingOne refused the refresh token: no refresh is attempted before it. */
  refresh_retry_at: number | null;
  /** When the refresh in flight called PingOne; see `ConnectionRepository.markRefreshStarted`. */
  refresh_started_at: number | null;
  /** The ID token's `auth_time`; null for rows from before it was kept. */
  signed_on_at: number | null;
  /** The latest time the connection is expected to keep working (DESIGN §4.10). */
  reauth_by: number | null;
  /** The `reauth_by` that `connection.expiring` warned of. */
  expiring_notified_for: number | null;
}

/** `webhook_outbox`: events written in the same transaction as the change they describe. */
export interface WebhookOutboxTable {
  id: string;
  event_type: string;
  /** The JSON body, exactly as it will be signed and sent. */
  payload: string;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  delivered_at: number | null;
  last_error: string | null;
  /** Set once the event used up its attempts; it is not sent again unless redelivered. */
  failed_at: number | null;
  /** The payload's `data.connection_id`, a column so that listings filter without reading JSON. */
  connection_id: string | null;
  /**
   * Attempts made before the last redelivery: the retry budget and the backoff count from
   * here, so a redelivered event gets every retry again. 0 until one.
   */
  attempts_before_redelivery: number;
  /** Set by a redelivery, cleared by the attempt it asked for (which is logged as one). */
  redelivery_requested_at: number | null;
}

/** `webhook_deliveries`: one row per delivery attempt (DESIGN §4.7); never a body or a secret. */
export interface WebhookDeliveriesTable {
  /** `whd_…`, minted at `started_at`, so ids sort by when the attempt began. */
  id: string;
  /** The `webhook_outbox` row, whose id is the `webhook-id`. */
  event_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  outcome: WebhookDeliveryOutcome;
  /** The receiver's status; null when it did not answer (`error`). */
  response_status: number | null;
  /** What went wrong, as the dispatcher describes it; null once delivered. */
  error: string | null;
  /** When the next attempt was planned; null when none was (delivered, or given up). */
  next_attempt_at: number | null;
  /** 0 or 1: the attempt a redelivery asked for. */
  redelivery: number;
}

/** `logs`: the operations log behind `GET /logs`. Never holds a secret. */
export interface LogsTable {
  id: string;
  created_at: number;
  level: LogLevel;
  event: string;
  message: string;
  integration_id: string | null;
  end_user_id: string | null;
  connection_id: string | null;
  attempt_id: string | null;
  /** JSON object of extra, non-secret details. */
  data: string | null;
}

/**
 * `integrations`: the PingOne applications made through the API (DESIGN §4.8); those of the
 * configuration are not stored. Exactly one of `region` (with or without `custom_domain`) or
 * the loopback pair `auth_base_url` + `api_base_url` is set.
 */
export interface IntegrationsTable {
  id: string;
  display_name: string | null;
  environment_id: string;
  region: string | null;
  custom_domain: string | null;
  auth_base_url: string | null;
  api_base_url: string | null;
  client_id: string;
  /**
   * A JWE made with the credentials' cipher and keys: the client secret, or for
   * `private_key_jwt` the private JWK's JSON.
   */
  client_credential: string;
  token_auth_method: string;
  /** For `private_key_jwt`: the public JWK's JSON; null for the secret methods. */
  public_jwk: string | null;
  /** Space-separated scopes. */
  scopes: string;
  /** 0 or 1: portable across both engines. */
  skip_token_session_validation: number;
  /** Seconds; null: PingOne's default. */
  refresh_token_duration: number | null;
  refresh_token_rolling_duration: number | null;
  /** Bumped by every change: replicas compare it with the one their cached client was built from. */
  revision: number;
  created_at: number;
  updated_at: number;
}

/** The whole database. */
/** `connect_links`: hosted connect pages (DESIGN §4.9); the secret only as its digest. */
export interface ConnectLinksTable {
  id: string;
  session_jti: string;
  /** SHA-256 (hex) of the link's secret. */
  secret_hash: string;
  return_url: string | null;
  created_at: number;
  expires_at: number;
  /** When its flow started; a link starts one flow. */
  used_at: number | null;
  /** The attempt it started. */
  attempt_id: string | null;
  revoked_at: number | null;
}

/**
 * `rate_limits`: on PostgreSQL, the requests each client made in the current fixed window of
 * one limiter, shared by every replica.
 */
export interface RateLimitsTable {
  /** `<limiter>:<client>`. */
  key: string;
  /** Start of the window the count is for, epoch milliseconds. */
  window_start: number;
  count: number;
}

/** `dashboard_sessions`: signed-in operators of the dashboard (DESIGN §4.11). */
export interface DashboardSessionsTable {
  /** SHA-256 (hex) of the session id the cookie carries. */
  id_hash: string;
  created_at: number;
  /** The last request of the session: it ends when idle for longer than the idle limit. */
  last_seen_at: number;
  /** The absolute end, however active the session is. */
  expires_at: number;
}

export interface Database {
  integrations: IntegrationsTable;
  sessions: SessionsTable;
  attempts: AttemptsTable;
  connect_links: ConnectLinksTable;
  connections: ConnectionsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  logs: LogsTable;
  rate_limits: RateLimitsTable;
  dashboard_sessions: DashboardSessionsTable;
}
