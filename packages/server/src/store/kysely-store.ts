import { isErrorCode, type ResultError } from '@pingone-connect/protocol';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type {
  AttemptsTable,
  ConnectionsTable,
  Database,
  LogsTable,
  OwnerColumns,
  SessionsTable,
  WebhookOutboxTable,
} from './schema.js';
import type {
  AttemptRecord,
  ConnectionHealth,
  ConnectionQuery,
  ConnectionRecord,
  ConnectionUpsert,
  LogEntry,
  LogQuery,
  NewAttempt,
  NewWebhookEvent,
  RefreshedCredentials,
  RefreshRefusal,
  SessionRecord,
  Store,
  WebhookEventRecord,
  WebhookEventType,
} from './store.js';

const joinScopes = (scopes: readonly string[]) => scopes.join(' ');
const splitScopes = (scopes: string) => scopes.split(' ').filter(Boolean);

type Owner = Pick<SessionRecord, 'integrationId' | 'endUser' | 'organization'>;

/** The owner columns of a session or connection row. */
function ownerColumns(owner: Owner): OwnerColumns {
  return {
    integration_id: owner.integrationId,
    end_user_id: owner.endUser.id,
    end_user_email: owner.endUser.email,
    end_user_display_name: owner.endUser.displayName,
    organization_id: owner.organization?.id ?? null,
    organization_display_name: owner.organization?.displayName ?? null,
  };
}

function ownerOf(row: OwnerColumns): Owner {
  return {
    integrationId: row.integration_id,
    endUser: {
      id: row.end_user_id,
      email: row.end_user_email,
      displayName: row.end_user_display_name,
    },
    organization:
      row.organization_id === null
        ? null
        : { id: row.organization_id, displayName: row.organization_display_name },
  };
}

// PostgreSQL hands bigint back as a string unless told otherwise; Number() covers both.
const time = (value: number | null) => (value === null ? null : Number(value));

function toSession(row: Selectable<SessionsTable>): SessionRecord {
  return {
    jti: row.jti,
    ...ownerOf(row),
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    scopes: splitScopes(row.scopes),
    connectionId: row.connection_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    consumedAt: time(row.consumed_at),
    revokedAt: time(row.revoked_at),
  };
}

/** A stored error, checked again on the way out: the column is only text to the database. */
function toResultError(json: string | null): ResultError {
  const value: unknown = json === null ? null : JSON.parse(json);
  if (typeof value === 'object' && value !== null && 'code' in value && isErrorCode(value.code)) {
    return value as ResultError;
  }
  return { code: 'internal_error', message: 'The attempt failed.' };
}

function toAttempt(row: Selectable<AttemptsTable>): AttemptRecord {
  const base: NewAttempt = {
    id: row.id,
    sessionJti: row.session_jti,
    integrationId: row.integration_id,
    origin: row.origin,
    stateHash: row.state_hash,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    bindingHash: row.binding_hash,
    scopes: splitScopes(row.scopes),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
  const completedAt = Number(row.completed_at);
  switch (row.status) {
    case 'success':
      return { ...base, status: 'success', connectionId: row.connection_id ?? '', completedAt };
    case 'error':
      return { ...base, status: 'error', error: toResultError(row.error), completedAt };
    default:
      return { ...base, status: row.status };
  }
}

function toConnection(row: Selectable<ConnectionsTable>): ConnectionRecord {
  return {
    id: row.id,
    ...ownerOf(row),
    providerAccount: { sub: row.sub, email: row.provider_email, name: row.provider_name },
    scopes: splitScopes(row.scopes),
    credentials: row.credentials,
    expiresAt: time(row.expires_at),
    ...healthOf(row),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    refreshRetryAt: time(row.refresh_retry_at),
    refreshStartedAt: time(row.refresh_started_at),
  };
}

function healthOf(row: Selectable<ConnectionsTable>): ConnectionHealth {
  return row.status === 'active'
    ? { status: 'active', statusReason: null }
    : // Rows from before reasons were kept were refused refresh tokens.
      { status: 'needs_reauth', statusReason: row.status_reason ?? 'invalid_grant' };
}

function toWebhookEvent(row: Selectable<WebhookOutboxTable>): WebhookEventRecord {
  return {
    id: row.id,
    type: row.event_type as WebhookEventType,
    payload: row.payload,
    createdAt: Number(row.created_at),
    attempts: Number(row.attempts),
  };
}

function toLogEntry(row: Selectable<LogsTable>): LogEntry {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    level: row.level,
    event: row.event,
    message: row.message,
    integrationId: row.integration_id,
    endUserId: row.end_user_id,
    connectionId: row.connection_id,
    attemptId: row.attempt_id,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}

/** The {@link Store} over Kysely: the same queries on SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;
  readonly #close: () => Promise<void>;

  /**
   * @param db An open Kysely instance (or transaction) with the schema migrated.
   * @param close Releases the underlying database; not called for transactions.
   */
  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', close: () => Promise<void>) {
    this.#db = db;
    this.dialect = dialect;
    this.#close = close;
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        jti: session.jti,
        ...ownerColumns(session),
        allowed_origins: JSON.stringify(session.allowedOrigins),
        scopes: joinScopes(session.scopes),
        connection_id: session.connectionId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        consumed_at: session.consumedAt,
        revoked_at: session.revokedAt,
      })
      .execute();
  }

  async findSession(jti: string): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('jti', '=', jti)
      .executeTakeFirst();
    return row && toSession(row);
  }

  async consumeSession(jti: string, at: number): Promise<boolean> {
    return this.#markSession(jti, { consumed_at: at });
  }

  async revokeSession(jti: string, at: number): Promise<boolean> {
    return this.#markSession(jti, { revoked_at: at });
  }

  async #markSession(
    jti: string,
    set: { consumed_at: number } | { revoked_at: number },
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('sessions')
      .set(set)
      .where('jti', '=', jti)
      .where('consumed_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async insertAttempt(attempt: NewAttempt): Promise<boolean> {
    const result = await this.#db
      .insertInto('attempts')
      .values({
        id: attempt.id,
        session_jti: attempt.sessionJti,
        integration_id: attempt.integrationId,
        origin: attempt.origin,
        state_hash: attempt.stateHash,
        code_verifier: attempt.codeVerifier,
        nonce: attempt.nonce,
        binding_hash: attempt.bindingHash,
        scopes: joinScopes(attempt.scopes),
        status: 'pending',
        connection_id: null,
        error: null,
        created_at: attempt.createdAt,
        expires_at: attempt.expiresAt,
        completed_at: null,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  async findAttempt(id: string): Promise<AttemptRecord | undefined> {
    const row = await this.#db
      .selectFrom('attempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  async findAttemptByStateHash(stateHash: string): Promise<AttemptRecord | undefined> {
    const row = await this.#db
      .selectFrom('attempts')
      .selectAll()
      .where('state_hash', '=', stateHash)
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  async claimAttempt(id: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('attempts')
      .set({ status: 'exchanging' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async completeAttempt(id: string, connectionId: string, at: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('attempts')
      .set({ status: 'success', connection_id: connectionId, completed_at: at })
      .where('id', '=', id)
      .where('status', '=', 'exchanging')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async failAttempt(id: string, error: ResultError, at: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('attempts')
      .set({ status: 'error', error: JSON.stringify(error), completed_at: at })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'exchanging'])
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async findConnection(id: string): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toConnection(row);
  }

  async upsertConnection(connection: ConnectionUpsert): Promise<{ id: string; created: boolean }> {
    // The conflict target's own columns are set to the values they already have.
    const details = {
      ...ownerColumns(connection),
      provider_email: connection.providerAccount.email,
      provider_name: connection.providerAccount.name,
      scopes: joinScopes(connection.scopes),
      credentials: connection.credentials,
      expires_at: connection.expiresAt,
      status: 'active' as const,
      status_reason: null,
      updated_at: connection.now,
      refresh_retry_at: null,
      // A new grant: nothing of a refresh of the old one applies to it.
      refresh_started_at: null,
    };
    const row = await this.#db
      .insertInto('connections')
      .values({
        ...details,
        id: connection.id,
        sub: connection.providerAccount.sub,
        created_at: connection.now,
        refresh_lock_id: null,
        refresh_lock_expires_at: null,
      })
      .onConflict((conflict) =>
        conflict.columns(['integration_id', 'end_user_id', 'sub']).doUpdateSet(details),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, created: row.id === connection.id };
  }

  async listConnections(query: ConnectionQuery): Promise<ConnectionRecord[]> {
    let select = this.#db.selectFrom('connections').selectAll();
    if (query.integrationId !== undefined)
      select = select.where('integration_id', '=', query.integrationId);
    if (query.endUserId !== undefined) select = select.where('end_user_id', '=', query.endUserId);
    if (query.organizationId !== undefined) {
      select = select.where('organization_id', '=', query.organizationId);
    }
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toConnection);
  }

  async deleteConnection(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  async takeRefreshLease(id: string, owner: string, now: number, until: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('connections')
      .set({ refresh_lock_id: owner, refresh_lock_expires_at: until })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('refresh_lock_id', 'is', null), eb('refresh_lock_expires_at', '<=', now)]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async releaseRefreshLease(id: string, owner: string): Promise<void> {
    await this.#db
      .updateTable('connections')
      .set({ refresh_lock_id: null, refresh_lock_expires_at: null })
      .where('id', '=', id)
      .where('refresh_lock_id', '=', owner)
      .execute();
  }

  async markRefreshStarted(id: string, owner: string, fence: string, at: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('connections')
      .set({ refresh_started_at: at })
      .where('id', '=', id)
      .where('refresh_lock_id', '=', owner)
      .where('credentials', '=', fence)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async clearRefreshStarted(id: string, fence: string): Promise<void> {
    await this.#fenced(id, fence, { refresh_started_at: null });
  }

  async saveRefreshedCredentials(
    id: string,
    fence: string,
    refreshed: RefreshedCredentials,
  ): Promise<ConnectionRecord | undefined> {
    return this.#fenced(id, fence, {
      credentials: refreshed.credentials,
      expires_at: refreshed.expiresAt,
      status: 'active',
      status_reason: null,
      updated_at: refreshed.now,
      refresh_retry_at: null,
      refresh_started_at: null,
    });
  }

  async markNeedsReauth(
    id: string,
    fence: string,
    refusal: RefreshRefusal,
  ): Promise<ConnectionRecord | undefined> {
    return this.#fenced(id, fence, {
      status: 'needs_reauth',
      status_reason: refusal.reason,
      updated_at: refusal.now,
      refresh_retry_at: refusal.retryAt,
      refresh_started_at: null,
    });
  }

  /** Applies `set` only while the connection's credentials are still `fence`; the row written. */
  async #fenced(
    id: string,
    fence: string,
    set: Updateable<ConnectionsTable>,
  ): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .updateTable('connections')
      .set(set)
      .where('id', '=', id)
      .where('credentials', '=', fence)
      .returningAll()
      .executeTakeFirst();
    return row && toConnection(row);
  }

  async insertWebhookEvent(event: NewWebhookEvent): Promise<void> {
    await this.#db
      .insertInto('webhook_outbox')
      .values({
        id: event.id,
        event_type: event.type,
        payload: event.payload,
        created_at: event.createdAt,
        next_attempt_at: event.createdAt,
        attempts: 0,
        delivered_at: null,
        last_error: null,
        failed_at: null,
      })
      .execute();
  }

  async claimDueWebhookEvents(
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<WebhookEventRecord[]> {
    const due = await this.#db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: WebhookEventRecord[] = [];
    for (const row of due) {
      // Claimed by moving the event's due time to the end of the lease, if nobody moved it first.
      const result = await this.#db
        .updateTable('webhook_outbox')
        .set({ next_attempt_at: leaseUntil })
        .where('id', '=', row.id)
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '=', row.next_attempt_at)
        .executeTakeFirst();
      if (result.numUpdatedRows === 1n) claimed.push(toWebhookEvent(row));
    }
    return claimed;
  }

  async markWebhookDelivered(id: string, attempts: number, at: number): Promise<void> {
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts, delivered_at: at, last_error: null })
      .where('id', '=', id)
      .execute();
  }

  async scheduleWebhookRetry(
    id: string,
    attempts: number,
    nextAttemptAt: number,
    error: string,
  ): Promise<void> {
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts, next_attempt_at: nextAttemptAt, last_error: error })
      .where('id', '=', id)
      .execute();
  }

  async markWebhookFailed(id: string, attempts: number, at: number, error: string): Promise<void> {
    await this.#db
      .updateTable('webhook_outbox')
      .set({ attempts, failed_at: at, last_error: error })
      .where('id', '=', id)
      .execute();
  }

  async insertLog(entry: LogEntry): Promise<void> {
    await this.#db
      .insertInto('logs')
      .values({
        id: entry.id,
        created_at: entry.createdAt,
        level: entry.level,
        event: entry.event,
        message: entry.message,
        integration_id: entry.integrationId ?? null,
        end_user_id: entry.endUserId ?? null,
        connection_id: entry.connectionId ?? null,
        attempt_id: entry.attemptId ?? null,
        data: entry.data ? JSON.stringify(entry.data) : null,
      })
      .execute();
  }

  async listLogs(query: LogQuery): Promise<LogEntry[]> {
    let select = this.#db.selectFrom('logs').selectAll();
    if (query.connectionId !== undefined) {
      select = select.where('connection_id', '=', query.connectionId);
    }
    if (query.attemptId !== undefined) select = select.where('attempt_id', '=', query.attemptId);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toLogEntry);
  }

  async purgeSessions(before: number): Promise<number> {
    // Attempts first: not every deployment can rely on the foreign key's cascade being enforced.
    return this.transaction(async (store) => {
      const db = (store as KyselyStore).#db;
      const expired = db.selectFrom('sessions').select('jti').where('expires_at', '<', before);
      await db.deleteFrom('attempts').where('session_jti', 'in', expired).execute();
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  async ping(): Promise<void> {
    await this.#db.selectFrom('sessions').select('jti').limit(1).execute();
  }

  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return fn(this);
    return this.#db
      .transaction()
      .execute((trx) => fn(new KyselyStore(trx, this.dialect, async () => {})));
  }

  async close(): Promise<void> {
    await this.#close();
  }
}
