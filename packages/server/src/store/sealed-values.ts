import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Every column that holds a JWE of `CredentialCipher`, by table; each table's key is `id`.
 * A new encrypted column goes here too, or `rotate-encryption-key` leaves it behind.
 */
export const SEALED_COLUMNS = {
  /** The tokens of each connection. */
  connections: 'credentials',
  /** The PKCE verifier of each attempt. */
  attempts: 'code_verifier',
  /** The client secret or private key of each integration made through the API. */
  integrations: 'client_credential',
} as const;

export type SealedTable = keyof typeof SEALED_COLUMNS;
export const SEALED_TABLES = Object.keys(SEALED_COLUMNS) as SealedTable[];

/** A value re-encrypted: the row, what it read there and what replaces it. */
export interface Replacement {
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

/** One encrypted value and the row it is in. */
export interface SealedValue {
  readonly id: string;
  readonly value: string;
}

/**
 * The encrypted columns as `rotate-encryption-key` reads and rewrites them. `prefix` is the
 * start of a JWE under the current key (its protected header and the dot): a value that starts
 * with it is already under that key, so a scan skips it in SQL, and only the others reach the
 * caller, which still checks each one's `kid` itself. Compared with `substr`, exact on both
 * engines, where SQLite's `like` would ignore case.
 */
export class SealedValueRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** How many rows `table` has. */
  async count(table: SealedTable): Promise<number> {
    const row = await this.#db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** How many values of `table` do not start with `prefix`. */
  async countOthers(table: SealedTable, prefix: string): Promise<number> {
    const row = await this.#db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where(notPrefixed(table, prefix))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Up to `limit` values of `table` not starting with `prefix`, by id, after the id `after`. */
  async others(
    table: SealedTable,
    prefix: string,
    after: string,
    limit: number,
  ): Promise<SealedValue[]> {
    const column = SEALED_COLUMNS[table];
    const rows = await this.#db
      .selectFrom(table)
      .select(['id', sql.ref<string>(column).as('value')])
      .where(notPrefixed(table, prefix))
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: row.id, value: row.value }));
  }

  /**
   * Replaces each value only while it is still its `from`, all in one transaction: a write
   * that landed since it was read (a refresh, a reconnect, a secret rotated through the API)
   * wins. A connection is also left alone while a refresh holds its lease or died mid-call
   * (`refresh_started_at`): that refresh fences its write on the credentials it read (DESIGN
   * §6.7), and a rewrite under it would make it drop, and revoke, the tokens PingOne just
   * rotated. A read that looked at a connection just before its rewrite and then takes the
   * lease sees new credentials: it still refreshes them when they expire soon (`refreshHeld`).
   *
   * @returns how many values were replaced.
   */
  async replaceAll(
    table: SealedTable,
    replacements: readonly Replacement[],
    now: number,
  ): Promise<number> {
    const column = SEALED_COLUMNS[table];
    // The table is one of three, so the row type is a union Kysely cannot update through.
    const db = this.#db as unknown as Kysely<Record<SealedTable, Record<string, unknown>>>;
    return db.transaction().execute(async (trx) => {
      let replaced = 0;
      for (const { id, from, to } of replacements) {
        let update = trx
          .updateTable(table)
          .set({ [column]: to })
          .where('id', '=', id)
          .where(column, '=', from);
        if (table === 'connections') {
          update = update
            .where('refresh_started_at', 'is', null)
            .where((eb) =>
              eb.or([eb('refresh_lock_id', 'is', null), eb('refresh_lock_expires_at', '<=', now)]),
            );
        }
        const result = await update.executeTakeFirst();
        replaced += Number(result.numUpdatedRows);
      }
      return replaced;
    });
  }
}

function notPrefixed(table: SealedTable, prefix: string) {
  return sql<boolean>`substr(${sql.ref(SEALED_COLUMNS[table])}, 1, ${prefix.length}) <> ${prefix}`;
}
