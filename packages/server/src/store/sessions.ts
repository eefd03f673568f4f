import type { Kysely, Selectable } from 'kysely';
import {
  joinScopes,
  ownerColumns,
  ownerOf,
  splitScopes,
  time,
  type EndUser,
  type Organization,
} from './columns.js';
import type { Database, SessionsTable } from './schema.js';

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

/**
 * The `sessions` table. Consuming and revoking are conditional updates that report whether
 * they won: that is what makes a session single use across requests and replicas (DESIGN §5.1).
 */
export class SessionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Stores a new session. Nothing reads the row back: the caller holds it. */
  async insert(session: SessionRecord): Promise<void> {
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

  async find(jti: string): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('jti', '=', jti)
      .executeTakeFirst();
    return row && toSession(row);
  }

  /** Marks an unused, unrevoked session consumed; the row written, or undefined when it was not. */
  async consume(jti: string, at: number): Promise<SessionRecord | undefined> {
    return this.#markOpen(jti, { consumed_at: at });
  }

  /** Marks an unused, unrevoked session revoked; the row written, or undefined when it was not. */
  async revoke(jti: string, at: number): Promise<SessionRecord | undefined> {
    return this.#markOpen(jti, { revoked_at: at });
  }

  async #markOpen(
    jti: string,
    set: { consumed_at: number } | { revoked_at: number },
  ): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .updateTable('sessions')
      .set(set)
      .where('jti', '=', jti)
      .where('consumed_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && toSession(row);
  }

  /** Deletes sessions (and their attempts) that expired before `before`; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    // Attempts first: not every deployment can rely on the foreign key's cascade being enforced.
    const purge = async (db: Kysely<Database>) => {
      const expired = db.selectFrom('sessions').select('jti').where('expires_at', '<', before);
      await db.deleteFrom('attempts').where('session_jti', 'in', expired).execute();
      await db.deleteFrom('connect_links').where('session_jti', 'in', expired).execute();
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    };
    if (this.#db.isTransaction) return purge(this.#db);
    return this.#db.transaction().execute(purge);
  }
}
