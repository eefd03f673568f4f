import { sql, type Kysely, type Selectable } from 'kysely';
import { REGIONS, TOKEN_AUTH_METHODS, type Region, type SecretAuthMethod } from '../config.js';
import { SIGNING_ALGS, type PublicJwk } from '../crypto/signing-key.js';
import { joinScopes, splitScopes, time } from './columns.js';
import type { Database, IntegrationsTable } from './schema.js';

/**
 * Where an integration's PingOne is: a region, a custom domain (whose API is still the
 * region's), or a loopback issuer (the emulator, only with `ALLOW_LOOPBACK_PINGONE`). The URLs
 * themselves are derived from this (`integrations/urls.ts`), never stored from a request.
 */
export type IntegrationLocation =
  | { readonly kind: 'region'; readonly region: Region }
  | { readonly kind: 'custom_domain'; readonly region: Region; readonly customDomain: string }
  | { readonly kind: 'loopback'; readonly authBaseUrl: string; readonly apiBaseUrl: string };

/**
 * How a stored integration authenticates to PingOne: the method, and its credential as the
 * JWE the cipher made — the client secret, or the private JWK with its public half beside it
 * in the clear, so that answers can show it without decrypting anything.
 */
export type StoredClientAuth =
  | { readonly method: SecretAuthMethod; readonly encryptedSecret: string }
  | {
      readonly method: 'private_key_jwt';
      readonly encryptedPrivateKey: string;
      readonly publicJwk: PublicJwk;
    };

/** An integration as stored. */
export interface IntegrationRecord {
  readonly id: string;
  readonly displayName: string | null;
  readonly environmentId: string;
  readonly location: IntegrationLocation;
  readonly clientId: string;
  readonly clientAuth: StoredClientAuth;
  readonly scopes: readonly string[];
  readonly skipTokenSessionValidation: boolean;
  /** Seconds, as set on the PingOne application; null: PingOne's default (DESIGN §4.10). */
  readonly refreshTokenDuration: number | null;
  readonly refreshTokenRollingDuration: number | null;
  /** 1 when created, one more on every change. */
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What a change may set: the fields of `PATCH /integrations/:id`, already validated. */
export type IntegrationChanges = Partial<
  Pick<
    IntegrationRecord,
    | 'displayName'
    | 'clientAuth'
    | 'scopes'
    | 'skipTokenSessionValidation'
    | 'refreshTokenDuration'
    | 'refreshTokenRollingDuration'
  >
>;

const isRegion = (value: string | null): value is Region =>
  (REGIONS as readonly (string | null)[]).includes(value);

function locationOf(row: Selectable<IntegrationsTable>): IntegrationLocation {
  if (row.auth_base_url !== null && row.api_base_url !== null) {
    return { kind: 'loopback', authBaseUrl: row.auth_base_url, apiBaseUrl: row.api_base_url };
  }
  if (!isRegion(row.region)) throw new Error(`integration ${row.id} has no usable location`);
  return row.custom_domain === null
    ? { kind: 'region', region: row.region }
    : { kind: 'custom_domain', region: row.region, customDomain: row.custom_domain };
}

function locationColumns(location: IntegrationLocation) {
  switch (location.kind) {
    case 'region':
      return {
        region: location.region,
        custom_domain: null,
        auth_base_url: null,
        api_base_url: null,
      };
    case 'custom_domain':
      return {
        region: location.region,
        custom_domain: location.customDomain,
        auth_base_url: null,
        api_base_url: null,
      };
    case 'loopback':
      return {
        region: null,
        custom_domain: null,
        auth_base_url: location.authBaseUrl,
        api_base_url: location.apiBaseUrl,
      };
  }
}

function isPublicJwk(value: unknown): value is PublicJwk {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === 'RSA' &&
    typeof jwk.n === 'string' &&
    typeof jwk.e === 'string' &&
    typeof jwk.kid === 'string' &&
    (SIGNING_ALGS as readonly unknown[]).includes(jwk.alg) &&
    !('d' in jwk)
  );
}

function clientAuthOf(row: Selectable<IntegrationsTable>): StoredClientAuth {
  const method = row.token_auth_method;
  if (method === 'private_key_jwt') {
    const publicJwk: unknown = row.public_jwk === null ? null : JSON.parse(row.public_jwk);
    if (!isPublicJwk(publicJwk)) throw new Error(`integration ${row.id} has no usable public key`);
    return { method, encryptedPrivateKey: row.client_credential, publicJwk };
  }
  if (!(TOKEN_AUTH_METHODS as readonly string[]).includes(method)) {
    throw new Error(`integration ${row.id} has an unknown token auth method`);
  }
  return { method: method as SecretAuthMethod, encryptedSecret: row.client_credential };
}

function clientAuthColumns(auth: StoredClientAuth) {
  return auth.method === 'private_key_jwt'
    ? {
        token_auth_method: auth.method,
        client_credential: auth.encryptedPrivateKey,
        public_jwk: JSON.stringify(auth.publicJwk),
      }
    : { token_auth_method: auth.method, client_credential: auth.encryptedSecret, public_jwk: null };
}

function toIntegration(row: Selectable<IntegrationsTable>): IntegrationRecord {
  return {
    id: row.id,
    displayName: row.display_name,
    environmentId: row.environment_id,
    location: locationOf(row),
    clientId: row.client_id,
    clientAuth: clientAuthOf(row),
    scopes: splitScopes(row.scopes),
    skipTokenSessionValidation: Number(row.skip_token_session_validation) === 1,
    refreshTokenDuration: time(row.refresh_token_duration),
    refreshTokenRollingDuration: time(row.refresh_token_rolling_duration),
    revision: Number(row.revision),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Filters and cursor of an integration listing, by id. */
export interface IntegrationQuery {
  /** Only integrations with an id after this one (the previous page's last). */
  readonly after?: string;
  readonly limit: number;
}

/**
 * The `integrations` table. Every change bumps `revision` in the same statement, and is
 * conditional on the revision the caller read, so two concurrent changes cannot both win.
 */
export class IntegrationRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: 'sqlite' | 'postgres';

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * `id` compared byte by byte, as the listing merges stored and configured ids in code-point
   * order: SQLite's default collation already is; PostgreSQL's follows the database's locale,
   * which may order `-` and `_` otherwise, unless told `C`.
   */
  #byteOrderId() {
    return this.#dialect === 'postgres' ? sql<string>`id collate "C"` : sql<string>`id`;
  }

  /** Inserts the integration at revision 1; false when one with its id exists. */
  async insert(
    integration: Omit<IntegrationRecord, 'revision' | 'createdAt' | 'updatedAt'> & {
      readonly now: number;
    },
  ): Promise<IntegrationRecord | undefined> {
    const row = await this.#db
      .insertInto('integrations')
      .values({
        id: integration.id,
        display_name: integration.displayName,
        environment_id: integration.environmentId,
        ...locationColumns(integration.location),
        client_id: integration.clientId,
        ...clientAuthColumns(integration.clientAuth),
        scopes: joinScopes(integration.scopes),
        skip_token_session_validation: integration.skipTokenSessionValidation ? 1 : 0,
        refresh_token_duration: integration.refreshTokenDuration,
        refresh_token_rolling_duration: integration.refreshTokenRollingDuration,
        revision: 1,
        created_at: integration.now,
        updated_at: integration.now,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toIntegration(row);
  }

  async find(id: string): Promise<IntegrationRecord | undefined> {
    const row = await this.#db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toIntegration(row);
  }

  /**
   * The integration's current revision, or undefined when it does not exist: one indexed
   * read of one integer, cheap enough to ask before every call to PingOne.
   */
  async revision(id: string): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom('integrations')
      .select('revision')
      .where('id', '=', id)
      .executeTakeFirst();
    return row && Number(row.revision);
  }

  /**
   * Whether the integration still exists, holding it (on PostgreSQL, a share lock until the
   * transaction ends) so that a delete running at the same time waits for this transaction and
   * then sees what it wrote. For a connection saved while its integration is being deleted.
   */
  async holdExisting(id: string): Promise<boolean> {
    const select = this.#db.selectFrom('integrations').select('id').where('id', '=', id);
    const row = await (
      this.#dialect === 'postgres' ? select.forShare() : select
    ).executeTakeFirst();
    return row !== undefined;
  }

  /** How many integrations are stored. */
  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('integrations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(query: IntegrationQuery): Promise<IntegrationRecord[]> {
    const id = this.#byteOrderId();
    let select = this.#db.selectFrom('integrations').selectAll();
    if (query.after !== undefined) select = select.where(id, '>', query.after);
    const rows = await select.orderBy(id, 'asc').limit(query.limit).execute();
    return rows.map(toIntegration);
  }

  /**
   * Applies `changes` when the integration is still at `revision`, bumping it; the row written,
   * or undefined when it is gone or changed meanwhile.
   */
  async update(
    id: string,
    revision: number,
    changes: IntegrationChanges,
    now: number,
  ): Promise<IntegrationRecord | undefined> {
    const row = await this.#db
      .updateTable('integrations')
      .set({
        ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
        ...(changes.clientAuth === undefined ? {} : clientAuthColumns(changes.clientAuth)),
        ...(changes.scopes === undefined ? {} : { scopes: joinScopes(changes.scopes) }),
        ...(changes.skipTokenSessionValidation === undefined
          ? {}
          : { skip_token_session_validation: changes.skipTokenSessionValidation ? 1 : 0 }),
        ...(changes.refreshTokenDuration === undefined
          ? {}
          : { refresh_token_duration: changes.refreshTokenDuration }),
        ...(changes.refreshTokenRollingDuration === undefined
          ? {}
          : { refresh_token_rolling_duration: changes.refreshTokenRollingDuration }),
        revision: revision + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .returningAll()
      .executeTakeFirst();
    return row && toIntegration(row);
  }

  /** Deletes the integration; the row deleted, or undefined when there was none. */
  async delete(id: string): Promise<IntegrationRecord | undefined> {
    const row = await this.#db
      .deleteFrom('integrations')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toIntegration(row);
  }
}
