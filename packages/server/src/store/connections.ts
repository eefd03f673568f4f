import type { Kysely, Selectable, Updateable } from 'kysely';
import {
  joinScopes,
  ownerColumns,
  ownerOf,
  splitScopes,
  time,
  type EndUser,
  type Organization,
} from './columns.js';
import type { ConnectionsTable, Database, ReauthReason } from './schema.js';

export type { ReauthReason } from './schema.js';

/** The PingOne account behind a connection. */
export interface ProviderAccount {
  readonly sub: string;
  readonly email: string | null;
  readonly name: string | null;
}

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
  /** The ID token's `auth_time`; null for a connection from before it was kept. */
  readonly signedOnAt: number | null;
  /** The latest time it is expected to keep working (DESIGN §4.10); null with `signedOnAt`. */
  readonly reauthBy: number | null;
  /** The `reauthBy` that `connection.expiring` warned of; null before any. */
  readonly expiringNotifiedFor: number | null;
};

/**
 * A connection to insert, or to merge into the existing one for the same account (which makes
 * it `active` again and lifts any refresh cool-down).
 */
export type ConnectionUpsert = Omit<
  ConnectionRecord,
  | 'status'
  | 'statusReason'
  | 'createdAt'
  | 'updatedAt'
  | 'refreshRetryAt'
  | 'refreshStartedAt'
  | 'expiringNotifiedFor'
> & {
  readonly now: number;
};

/** What {@link ConnectionRepository.upsert} wrote. */
export interface UpsertedConnection {
  readonly connection: ConnectionRecord;
  /** False when an existing connection for the same account was updated (keeping its id). */
  readonly created: boolean;
}

/** The outcome of a refresh, written by the holder of the connection's refresh lease. */
export interface RefreshedCredentials {
  /** The encrypted credentials: the new access token and the rotated refresh token together. */
  readonly credentials: string;
  readonly expiresAt: number | null;
  /** Moved by the new refresh token's duration. */
  readonly reauthBy: number | null;
  readonly now: number;
}

/** A refresh PingOne refused for good. */
export interface RefreshRefusal {
  readonly reason: ReauthReason;
  readonly now: number;
  /** No refresh is attempted before this time. */
  readonly retryAt: number;
}

/** Filters and cursor of a connection listing, newest first. */
export interface ConnectionQuery {
  readonly integrationId?: string;
  readonly endUserId?: string;
  readonly organizationId?: string;
  /** The end user's id or e-mail address, exactly. */
  readonly endUser?: string;
  readonly status?: ConnectionsTable['status'];
  /** Only connections with an id before this one (the previous page's last). */
  readonly before?: string;
  readonly limit: number;
}

function healthOf(row: Selectable<ConnectionsTable>): ConnectionHealth {
  return row.status === 'active'
    ? { status: 'active', statusReason: null }
    : // Rows from before reasons were kept were refused refresh tokens.
      { status: 'needs_reauth', statusReason: row.status_reason ?? 'invalid_grant' };
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
    signedOnAt: time(row.signed_on_at),
    reauthBy: time(row.reauth_by),
    expiringNotifiedFor: time(row.expiring_notified_for),
  };
}

/**
 * The `connections` table, and its refresh lease (DESIGN §6.1). Every write that a refresh
 * makes is a conditional update — on the lease's owner, or on the credentials it refreshed
 * (the fence, DESIGN §6.7) — and returns the row it wrote, or undefined when the condition no
 * longer held and nothing was written.
 */
export class ConnectionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async find(id: string): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toConnection(row);
  }

  /**
   * Inserts the connection, or updates the one for the same integration, end user and `sub`
   * (keeping its id). Returns the row that holds the connection and whether it is new.
   */
  async upsert(connection: ConnectionUpsert): Promise<UpsertedConnection> {
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
      // A new sign-on moves `reauth_by`, which re-arms `connection.expiring`.
      signed_on_at: connection.signedOnAt,
      reauth_by: connection.reauthBy,
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
        expiring_notified_for: null,
      })
      .onConflict((conflict) =>
        conflict.columns(['integration_id', 'end_user_id', 'sub']).doUpdateSet(details),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { connection: toConnection(row), created: row.id === connection.id };
  }

  async list(query: ConnectionQuery): Promise<ConnectionRecord[]> {
    let select = this.#db.selectFrom('connections').selectAll();
    if (query.integrationId !== undefined)
      select = select.where('integration_id', '=', query.integrationId);
    if (query.endUserId !== undefined) select = select.where('end_user_id', '=', query.endUserId);
    if (query.organizationId !== undefined) {
      select = select.where('organization_id', '=', query.organizationId);
    }
    if (query.endUser !== undefined) {
      const endUser = query.endUser;
      select = select.where((eb) =>
        eb.or([eb('end_user_id', '=', endUser), eb('end_user_email', '=', endUser)]),
      );
    }
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toConnection);
  }

  /** Deletes the connection; the row deleted, or undefined when there was none. */
  async delete(id: string): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .deleteFrom('connections')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toConnection(row);
  }

  /**
   * Takes the connection's refresh lease for `owner` until `until`, when nobody holds it or the
   * holder's lease ran out by `now`. One conditional update, so exactly one caller wins, across
   * processes too. Returns the connection as the lease found it, or undefined when someone else
   * holds it or the connection does not exist.
   */
  async takeRefreshLease(
    id: string,
    owner: string,
    now: number,
    until: number,
  ): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .updateTable('connections')
      .set({ refresh_lock_id: owner, refresh_lock_expires_at: until })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('refresh_lock_id', 'is', null), eb('refresh_lock_expires_at', '<=', now)]),
      )
      .returningAll()
      .executeTakeFirst();
    return row && toConnection(row);
  }

  /** Gives the lease back if `owner` still holds it. */
  async releaseRefreshLease(id: string, owner: string): Promise<void> {
    await this.#db
      .updateTable('connections')
      .set({ refresh_lock_id: null, refresh_lock_expires_at: null })
      .where('id', '=', id)
      .where('refresh_lock_id', '=', owner)
      .execute();
  }

  /**
   * Records, durably, that the holder `owner` of the lease is about to call PingOne to refresh
   * the credentials `fence`; undefined when it no longer holds the lease or they changed.
   */
  async markRefreshStarted(
    id: string,
    owner: string,
    fence: string,
    at: number,
  ): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .updateTable('connections')
      .set({ refresh_started_at: at })
      .where('id', '=', id)
      .where('refresh_lock_id', '=', owner)
      .where('credentials', '=', fence)
      .returningAll()
      .executeTakeFirst();
    return row && toConnection(row);
  }

  /** Clears the mark of a refresh of `fence` that PingOne answered without rotating anything. */
  async clearRefreshStarted(id: string, fence: string): Promise<ConnectionRecord | undefined> {
    return this.#fenced(id, fence, { refresh_started_at: null });
  }

  /**
   * Writes refreshed credentials and makes the connection `active`, only while its credentials
   * are still `fence`, the ones refreshed (DESIGN §6.7): a reconnect that committed meanwhile
   * wins.
   */
  async saveRefreshed(
    id: string,
    fence: string,
    refreshed: RefreshedCredentials,
  ): Promise<ConnectionRecord | undefined> {
    return this.#fenced(id, fence, {
      credentials: refreshed.credentials,
      expires_at: refreshed.expiresAt,
      reauth_by: refreshed.reauthBy,
      status: 'active',
      status_reason: null,
      updated_at: refreshed.now,
      refresh_retry_at: null,
      refresh_started_at: null,
    });
  }

  /**
   * Marks the connection `needs_reauth` with the refusal's reason and cool-down, only while its
   * credentials are still `fence`.
   */
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

  /**
   * Active connections whose `reauth_by` is at or before `by` and not yet warned of, soonest
   * first: candidates for {@link claimExpiringNotice}, which decides.
   */
  async dueForExpiringNotice(by: number, limit: number): Promise<ConnectionRecord[]> {
    const rows = await this.#db
      .selectFrom('connections')
      .selectAll()
      .where('status', '=', 'active')
      .where('reauth_by', '<=', by)
      .where((eb) =>
        eb.or([
          eb('expiring_notified_for', 'is', null),
          eb('expiring_notified_for', '<>', eb.ref('reauth_by')),
        ]),
      )
      .orderBy('reauth_by')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toConnection);
  }

  /**
   * Claims the `connection.expiring` notice of the connection's `reauth_by`, while it is still
   * `reauthBy`: one conditional update, so of several sweeps (replicas) exactly one wins it,
   * and a sweep after a restart finds it taken. Undefined when taken, or when a reconnect or a
   * refresh moved `reauth_by`, or the connection was refused or deleted meanwhile.
   */
  async claimExpiringNotice(id: string, reauthBy: number): Promise<ConnectionRecord | undefined> {
    const row = await this.#db
      .updateTable('connections')
      .set({ expiring_notified_for: reauthBy })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .where('reauth_by', '=', reauthBy)
      .where((eb) =>
        eb.or([
          eb('expiring_notified_for', 'is', null),
          eb('expiring_notified_for', '<>', reauthBy),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    return row && toConnection(row);
  }

  /** Applies `set` only while the connection's credentials are still `fence`. */
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
}
