import type { Kysely, Selectable } from 'kysely';
import { time } from './columns.js';
import type { ConnectLinksTable, Database } from './schema.js';

/** A connect link as stored: its secret only as a digest (DESIGN §4.9, §5.16). */
export interface LinkRecord {
  readonly id: string;
  readonly sessionJti: string;
  /** SHA-256 (hex) of the secret. */
  readonly secretHash: string;
  readonly returnUrl: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly attemptId: string | null;
  readonly revokedAt: number | null;
}

function toLink(row: Selectable<ConnectLinksTable>): LinkRecord {
  return {
    id: row.id,
    sessionJti: row.session_jti,
    secretHash: row.secret_hash,
    returnUrl: row.return_url,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: time(row.used_at),
    attemptId: row.attempt_id,
    revokedAt: time(row.revoked_at),
  };
}

/**
 * The `connect_links` table. Using a link is a conditional update that reports whether it won,
 * so a link starts one flow across requests and replicas.
 */
export class LinkRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(link: LinkRecord): Promise<void> {
    await this.#db
      .insertInto('connect_links')
      .values({
        id: link.id,
        session_jti: link.sessionJti,
        secret_hash: link.secretHash,
        return_url: link.returnUrl,
        created_at: link.createdAt,
        expires_at: link.expiresAt,
        used_at: link.usedAt,
        attempt_id: link.attemptId,
        revoked_at: link.revokedAt,
      })
      .execute();
  }

  async find(id: string): Promise<LinkRecord | undefined> {
    const row = await this.#db
      .selectFrom('connect_links')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toLink(row);
  }

  /** Marks an open link used by `attemptId`; the row written, or undefined when it was not open. */
  async use(id: string, attemptId: string, at: number): Promise<LinkRecord | undefined> {
    const row = await this.#db
      .updateTable('connect_links')
      .set({ used_at: at, attempt_id: attemptId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .returningAll()
      .executeTakeFirst();
    return row && toLink(row);
  }

  /** Revokes the session's links that are still open. */
  async revokeForSession(sessionJti: string, at: number): Promise<void> {
    await this.#db
      .updateTable('connect_links')
      .set({ revoked_at: at })
      .where('session_jti', '=', sessionJti)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
