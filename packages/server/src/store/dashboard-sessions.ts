import type { Kysely, Selectable } from 'kysely';
import type { DashboardSessionsTable, Database } from './schema.js';

/** A signed-in operator's session of the dashboard; its id only as a digest. */
export interface DashboardSessionRecord {
  /** SHA-256 (hex) of the id in the cookie. */
  readonly idHash: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The absolute end. */
  readonly expiresAt: number;
}

function toDashboardSession(row: Selectable<DashboardSessionsTable>): DashboardSessionRecord {
  return {
    idHash: row.id_hash,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * The `dashboard_sessions` table. Seeing a session again is a conditional update that only
 * wins while the session is neither idle too long nor past its end, so an expired session
 * cannot be revived by a request racing its expiry.
 */
export class DashboardSessionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(session: DashboardSessionRecord): Promise<void> {
    await this.#db
      .insertInto('dashboard_sessions')
      .values({
        id_hash: session.idHash,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  /**
   * Marks the session seen at `now` when it was last seen after `idleSince` and ends after
   * `now`; the row written, or undefined when it is unknown or expired.
   */
  async touch(
    idHash: string,
    now: number,
    idleSince: number,
  ): Promise<DashboardSessionRecord | undefined> {
    const row = await this.#db
      .updateTable('dashboard_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', idHash)
      .where('last_seen_at', '>', idleSince)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row && toDashboardSession(row);
  }

  async delete(idHash: string): Promise<void> {
    await this.#db.deleteFrom('dashboard_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Deletes the sessions that can no longer be used at `now`. */
  async deleteExpired(now: number, idleSince: number): Promise<void> {
    await this.#db
      .deleteFrom('dashboard_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
      .execute();
  }
}
