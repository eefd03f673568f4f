import type {
  ConnectionStatusReason,
  LogLevel,
  ResultError,
  WebhookEventType,
} from '@pingone-connect/protocol';

export type { WebhookEventType };

/** The SaaS product's user a session or connection belongs to. */
export interface EndUser {
  readonly id: string;
  readonly email: string | null;
  readonly displayName: string | null;
}

/** The SaaS product's customer organization, when the integrator passes one. */
export interface Organization {
  readonly id: string;
  readonly displayName: string | null;
}

/** A connect session as stored; the token itself is never stored, only its `jti`. */
export interface SessionRecord {
  readonly jti: string;
  readonly integrationId: string;
  readonly endUser: EndUser;
  readonly organization: Organization | null;
  readonly allowedOrigins: readonly string[];
  readonly scopes: readonly string[];
  /** Set for a reconnect: the connection the flow must update. */
  readonly connectionId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly revokedAt: number | null;
}

/** What `/oauth/connect` records before sending the browser to PingOne. */
export interface NewAttempt {
  readonly id: string;
  readonly sessionJti: string;
  readonly integrationId: string;
  readonly origin: string;
  readonly stateHash: string;
  /** Encrypted. */
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly bindingHash: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * An attempt in one of its states. `exchanging` means a callback has claimed it and is
 * talking to PingOne; only that callback can finish it.
 */
export type AttemptRecord = NewAttempt &
  (
    | { readonly status: 'pending' | 'exchanging' }
    | { readonly status: 'success'; readonly connectionId: string; readonly completedAt: number }
    | { readonly status: 'error'; readonly error: ResultError; readonly completedAt: number }
  );

/** The PingOne account behind a connection. */
export interface ProviderAccount {
  readonly sub: string;
  readonly email: string | null;
  readonly name: string | null;
}

/**
 * Why a connection needs the end user to connect again (DESIGN §4.10): PingOne refused its
 * refresh token (`invalid_grant`), or refused it on the retry of a refresh that died mid-call
 * (`refresh_interrupted`, DESIGN §6.8).
 */
export type ReauthReason = ConnectionStatusReason;

/** Connection lifecycle: `needs_reauth`, with its reason, once PingOne refuses a refresh. */
export type ConnectionHealth =
  | { readonly status: 'active'; readonly statusReason: null }
  | { readonly status: 'needs_reauth'; readonly statusReason: ReauthReason };

export type ConnectionStatus = ConnectionHealth['status'];

/** A connection as stored; `credentials` is the encrypted JWE. */
export type ConnectionRecord = ConnectionHealth & {
  readonly id: string;
  readonly integrationId: string;
  readonly endUser: EndUser;
  readonly organization: Organization | null;
  readonly providerAccount: ProviderAccount;
  readonly scopes: readonly string[];
  /**
   * The JWE; a fresh one (new IV) on every write, so it also fences writes made on the strength
   * of an earlier read (DESIGN §6.7).
   */
  readonly credentials: string;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** After PingOne refused the refresh token: no refresh is attempted before this time. */
  readonly refreshRetryAt: number | null;
  /**
   * Set while a refresh is calling PingOne. Found set by the next holder of a free lease, it
   * means that refresh died mid-call: PingOne may have rotated the stored refresh token.
   */
  readonly refreshStartedAt: number | null;
};

/**
 * A connection to insert, or to merge into the existing one for the same account (which makes
 * it `active` again and lifts any refresh cool-down).
 */
export type ConnectionUpsert = Omit<
  ConnectionRecord,
  'status' | 'statusReason' | 'createdAt' | 'updatedAt' | 'refreshRetryAt' | 'refreshStartedAt'
> & {
  readonly now: number;
};

/** The outcome of a refresh, written by the holder of the connection's refresh lease. */
export interface RefreshedCredentials {
  /** The encrypted credentials: the new access token and the rotated refresh token together. */
  readonly credentials: string;
  readonly expiresAt: number | null;
  readonly now: number;
}

/** A refresh PingOne refused for good. */
export interface RefreshRefusal {
  readonly reason: ReauthReason;
  readonly now: number;
  /** No refresh is attempted before this time. */
  readonly retryAt: number;
}

/** An event to put in the webhook outbox; due at once. */
export interface NewWebhookEvent {
  /** `evt_…`: also the `webhook-id`, the same on every attempt so receivers can deduplicate. */
  readonly id: string;
  readonly type: WebhookEventType;
  /** The JSON body, exactly as it will be signed and sent. */
  readonly payload: string;
  readonly createdAt: number;
}

/** An outbox event claimed for delivery. */
export interface WebhookEventRecord extends NewWebhookEvent {
  /** Delivery attempts made before this one. */
  readonly attempts: number;
}

/** Filters and cursor of a connection listing, newest first. */
export interface ConnectionQuery {
  readonly integrationId?: string;
  readonly endUserId?: string;
  readonly organizationId?: string;
  /** Only connections with an id before this one (the previous page's last). */
  readonly before?: string;
  readonly limit: number;
}

/** A row of the operations log. Never carries a secret. */
export interface LogEntry {
  readonly id: string;
  readonly createdAt: number;
  readonly level: LogLevel;
  readonly event: string;
  readonly message: string;
  readonly integrationId?: string | null;
  readonly endUserId?: string | null;
  readonly connectionId?: string | null;
  readonly attemptId?: string | null;
  readonly data?: Readonly<Record<string, unknown>> | null;
}

/** Filters and cursor of an operations-log listing, newest first. */
export interface LogQuery {
  readonly connectionId?: string;
  readonly attemptId?: string;
  /** Only entries with an id before this one (the previous page's last). */
  readonly before?: string;
  readonly limit: number;
}

/**
 * Everything the server keeps, behind explicit methods so that each call site says what it
 * does. State changes are conditional updates that report whether they won, which is what
 * makes single use (state, sessions) hold across requests and replicas.
 */
export interface Store {
  /** `sqlite` or `postgres`. */
  readonly dialect: 'sqlite' | 'postgres';

  insertSession(session: SessionRecord): Promise<void>;
  findSession(jti: string): Promise<SessionRecord | undefined>;
  /** Marks an unused, unrevoked session consumed; false when it was not. */
  consumeSession(jti: string, at: number): Promise<boolean>;
  /** Marks an unused, unrevoked session revoked; false when it was not. */
  revokeSession(jti: string, at: number): Promise<boolean>;

  /** Inserts a pending attempt; false when its id is already taken. */
  insertAttempt(attempt: NewAttempt): Promise<boolean>;
  findAttempt(id: string): Promise<AttemptRecord | undefined>;
  findAttemptByStateHash(stateHash: string): Promise<AttemptRecord | undefined>;
  /** `pending` → `exchanging`; false when another request got there first. */
  claimAttempt(id: string): Promise<boolean>;
  /** `exchanging` → `success`; false when the attempt was not being exchanged. */
  completeAttempt(id: string, connectionId: string, at: number): Promise<boolean>;
  /** `pending` or `exchanging` → `error`; false when it had already finished. */
  failAttempt(id: string, error: ResultError, at: number): Promise<boolean>;

  findConnection(id: string): Promise<ConnectionRecord | undefined>;
  /**
   * Inserts the connection, or updates the one for the same integration, end user and `sub`
   * (keeping its id). Returns the id that holds the connection and whether it is new.
   */
  upsertConnection(connection: ConnectionUpsert): Promise<{ id: string; created: boolean }>;
  listConnections(query: ConnectionQuery): Promise<ConnectionRecord[]>;
  /** Deletes the connection; false when there was none. */
  deleteConnection(id: string): Promise<boolean>;

  /**
   * Takes the connection's refresh lease for `owner` until `until`, when nobody holds it or the
   * holder's lease ran out by `now`. One conditional update, so exactly one caller wins, across
   * processes too. False when someone else holds it or the connection does not exist.
   */
  takeRefreshLease(id: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Gives the lease back if `owner` still holds it. */
  releaseRefreshLease(id: string, owner: string): Promise<void>;
  /**
   * Records, durably, that the holder `owner` of the lease is about to call PingOne to refresh
   * the credentials `fence`; false when it no longer holds the lease or they changed.
   */
  markRefreshStarted(id: string, owner: string, fence: string, at: number): Promise<boolean>;
  /** Clears the mark of a refresh of `fence` that PingOne answered without rotating anything. */
  clearRefreshStarted(id: string, fence: string): Promise<void>;
  /**
   * Writes refreshed credentials and makes the connection `active`, only while its credentials
   * are still `fence`, the ones refreshed (DESIGN §6.7): a reconnect that committed meanwhile
   * wins. Returns the row written, or undefined (and nothing written).
   */
  saveRefreshedCredentials(
    id: string,
    fence: string,
    refreshed: RefreshedCredentials,
  ): Promise<ConnectionRecord | undefined>;
  /**
   * Marks the connection `needs_reauth` with the refusal's reason and cool-down, only while its
   * credentials are still `fence`. Returns the row written, or undefined.
   */
  markNeedsReauth(
    id: string,
    fence: string,
    refusal: RefreshRefusal,
  ): Promise<ConnectionRecord | undefined>;

  /** Puts an event in the webhook outbox, due at once. Call it inside the change's transaction. */
  insertWebhookEvent(event: NewWebhookEvent): Promise<void>;
  /**
   * Claims up to `limit` events due by `now` (undelivered, not failed), oldest first, each until
   * `leaseUntil`: another dispatcher, in this process or another, does not see them again before
   * then, so a crash mid-delivery only delays the event. Returns the events this caller won.
   */
  claimDueWebhookEvents(
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<WebhookEventRecord[]>;
  /** Records a successful delivery. */
  markWebhookDelivered(id: string, attempts: number, at: number): Promise<void>;
  /** Records a failed attempt and when to try again. */
  scheduleWebhookRetry(
    id: string,
    attempts: number,
    nextAttemptAt: number,
    error: string,
  ): Promise<void>;
  /** Records the last failed attempt: the event is not sent again. */
  markWebhookFailed(id: string, attempts: number, at: number, error: string): Promise<void>;

  insertLog(entry: LogEntry): Promise<void>;
  listLogs(query: LogQuery): Promise<LogEntry[]>;

  /** Deletes sessions (and their attempts) that expired before `before`; returns how many. */
  purgeSessions(before: number): Promise<number>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** Runs `fn` in one transaction: all of its writes commit together or none do. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  /** Closes the database (SQLite checkpoints its WAL). */
  close(): Promise<void>;
}
