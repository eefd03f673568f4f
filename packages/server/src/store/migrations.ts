import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

/**
 * The schema's history. Append only: a released migration is never edited, so that every
 * database, SQLite or PostgreSQL, reaches the same schema by the same steps.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      // Who a session or connection is for. Kept inside the migration so it never changes.
      const owner = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
        table
          .addColumn('integration_id', 'text', (col) => col.notNull())
          .addColumn('end_user_id', 'text', (col) => col.notNull())
          .addColumn('end_user_email', 'text')
          .addColumn('end_user_display_name', 'text')
          .addColumn('organization_id', 'text')
          .addColumn('organization_display_name', 'text');

      await db.schema
        .createTable('sessions')
        .addColumn('jti', 'text', (col) => col.primaryKey())
        .$call(owner)
        .addColumn('allowed_origins', 'text', (col) => col.notNull())
        .addColumn('scopes', 'text', (col) => col.notNull())
        .addColumn('connection_id', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .addColumn('consumed_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('sessions_expires_at')
        .on('sessions')
        .column('expires_at')
        .execute();

      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .$call(owner)
        .addColumn('sub', 'text', (col) => col.notNull())
        .addColumn('provider_email', 'text')
        .addColumn('provider_name', 'text')
        .addColumn('scopes', 'text', (col) => col.notNull())
        .addColumn('credentials', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('refresh_lock_id', 'text')
        .addColumn('refresh_lock_expires_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('connections_account')
        .on('connections')
        .columns(['integration_id', 'end_user_id', 'sub'])
        .unique()
        .execute();
      await db.schema
        .createIndex('connections_end_user')
        .on('connections')
        .column('end_user_id')
        .execute();

      await db.schema
        .createTable('attempts')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('session_jti', 'text', (col) =>
          col.notNull().references('sessions.jti').onDelete('cascade'),
        )
        .addColumn('integration_id', 'text', (col) => col.notNull())
        .addColumn('origin', 'text', (col) => col.notNull())
        .addColumn('state_hash', 'text', (col) => col.notNull().unique())
        .addColumn('code_verifier', 'text', (col) => col.notNull())
        .addColumn('nonce', 'text', (col) => col.notNull())
        .addColumn('binding_hash', 'text', (col) => col.notNull())
        .addColumn('scopes', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('connection_id', 'text')
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .addColumn('completed_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('attempts_session_jti')
        .on('attempts')
        .column('session_jti')
        .execute();

      await db.schema
        .createTable('webhook_outbox')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('event_type', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('delivered_at', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('webhook_outbox_due')
        .on('webhook_outbox')
        .columns(['delivered_at', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('logs')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('level', 'text', (col) => col.notNull())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('message', 'text', (col) => col.notNull())
        .addColumn('integration_id', 'text')
        .addColumn('end_user_id', 'text')
        .addColumn('connection_id', 'text')
        .addColumn('attempt_id', 'text')
        .addColumn('data', 'text')
        .execute();
      await db.schema
        .createIndex('logs_connection_id')
        .on('logs')
        .column('connection_id')
        .execute();
      await db.schema.createIndex('logs_attempt_id').on('logs').column('attempt_id').execute();
    },
  },
  '0002_refresh_cooldown_and_webhook_failures': {
    async up(db: Kysely<unknown>) {
      // When PingOne refused a connection's refresh token: no new attempt before this time.
      await db.schema.alterTable('connections').addColumn('refresh_retry_at', 'bigint').execute();
      // An event that used up its delivery attempts: kept for the log, never sent again.
      await db.schema.alterTable('webhook_outbox').addColumn('failed_at', 'bigint').execute();
    },
  },
  '0003_refresh_intent_and_status_reason': {
    async up(db: Kysely<unknown>) {
      // Set, durably, before a refresh calls PingOne and cleared by its outcome: still set under
      // a free lease, it says a refresh died mid-call (DESIGN §6.8).
      await db.schema.alterTable('connections').addColumn('refresh_started_at', 'bigint').execute();
      // Why a connection is `needs_reauth` (DESIGN §4.10); null while it is active.
      await db.schema.alterTable('connections').addColumn('status_reason', 'text').execute();
    },
  },
  '0004_integrations': {
    async up(db: Kysely<unknown>) {
      // Tenants made at run time (DESIGN §4.8); the client secret is a JWE like the credentials.
      await db.schema
        .createTable('integrations')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('display_name', 'text')
        .addColumn('environment_id', 'text', (col) => col.notNull())
        .addColumn('region', 'text')
        .addColumn('custom_domain', 'text')
        .addColumn('auth_base_url', 'text')
        .addColumn('api_base_url', 'text')
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('client_secret', 'text', (col) => col.notNull())
        .addColumn('token_auth_method', 'text', (col) => col.notNull())
        .addColumn('scopes', 'text', (col) => col.notNull())
        .addColumn('skip_token_session_validation', 'integer', (col) => col.notNull())
        .addColumn('revision', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      // `DELETE /integrations/:id` asks whether any connection is left.
      await db.schema
        .createIndex('connections_integration_id')
        .on('connections')
        .column('integration_id')
        .execute();
    },
  },
  '0005_integration_private_keys': {
    async up(db: Kysely<unknown>) {
      // What authenticates the client is a secret or, for private_key_jwt, a private JWK: one
      // JWE column for either, named for both.
      await db.schema
        .alterTable('integrations')
        .renameColumn('client_secret', 'client_credential')
        .execute();
      // The private key's public half (JSON): not secret, shown so that it can be registered.
      await db.schema.alterTable('integrations').addColumn('public_jwk', 'text').execute();
    },
  },
  '0006_connection_lifecycle': {
    async up(db: Kysely<unknown>) {
      // The ID token's `auth_time`: when the end user signed on to PingOne (DESIGN §4.10).
      await db.schema.alterTable('connections').addColumn('signed_on_at', 'bigint').execute();
      // The latest time the connection is expected to keep working; null for older rows.
      await db.schema.alterTable('connections').addColumn('reauth_by', 'bigint').execute();
      // The `reauth_by` that `connection.expiring` warned of: once for each, so once per sign-on
      // when nothing else moves it.
      await db.schema
        .alterTable('connections')
        .addColumn('expiring_notified_for', 'bigint')
        .execute();
      // The sweep looks for connections whose `reauth_by` is near.
      await db.schema
        .createIndex('connections_reauth_by')
        .on('connections')
        .column('reauth_by')
        .execute();
      // The application's refresh token settings in PingOne, in seconds; null: PingOne's defaults.
      await db.schema
        .alterTable('integrations')
        .addColumn('refresh_token_duration', 'integer')
        .execute();
      await db.schema
        .alterTable('integrations')
        .addColumn('refresh_token_rolling_duration', 'integer')
        .execute();
    },
  },
  '0007_redirect_mode_and_links': {
    async up(db: Kysely<unknown>) {
      // How an attempt reports its outcome (DESIGN §4.9): to the popup's opener, by a redirect
      // to the host page, or on the hosted link page. Older rows were all popups.
      await db.schema
        .alterTable('attempts')
        .addColumn('mode', 'text', (col) => col.notNull().defaultTo('popup'))
        .execute();
      // Redirect mode: where the callback sends the browser back (an allowed origin's URL).
      await db.schema.alterTable('attempts').addColumn('return_to', 'text').execute();
      // Connect links: the secret only as its SHA-256, single use, bounded life, revoked with
      // their session.
      await db.schema
        .createTable('connect_links')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('session_jti', 'text', (col) =>
          col.notNull().references('sessions.jti').onDelete('cascade'),
        )
        .addColumn('secret_hash', 'text', (col) => col.notNull())
        .addColumn('return_url', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('attempt_id', 'text')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('connect_links_session_jti')
        .on('connect_links')
        .column('session_jti')
        .execute();
    },
  },
  '0008_webhook_deliveries': {
    async up(db: Kysely<unknown>) {
      // Every delivery attempt, for `GET /webhooks/deliveries` (DESIGN §4.7). Deleted with its
      // event; old rows are pruned by `started_at`.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('event_id', 'text', (col) =>
          col.notNull().references('webhook_outbox.id').onDelete('cascade'),
        )
        .addColumn('attempt', 'integer', (col) => col.notNull())
        .addColumn('started_at', 'bigint', (col) => col.notNull())
        .addColumn('duration_ms', 'integer', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('error', 'text')
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('redelivery', 'integer', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_event_id')
        .on('webhook_deliveries')
        .column('event_id')
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_started_at')
        .on('webhook_deliveries')
        .column('started_at')
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_outcome')
        .on('webhook_deliveries')
        .columns(['outcome', 'id'])
        .execute();

      // The listing's `connection_id` and `event_type` filters are on the event.
      await db.schema.alterTable('webhook_outbox').addColumn('connection_id', 'text').execute();
      await db.schema
        .createIndex('webhook_outbox_connection_id')
        .on('webhook_outbox')
        .column('connection_id')
        .execute();
      await db.schema
        .createIndex('webhook_outbox_event_type')
        .on('webhook_outbox')
        .column('event_type')
        .execute();
      // Filled from the payload the server itself wrote, row by row: the same code on both
      // engines, where their JSON functions differ.
      const outbox = db as unknown as Kysely<{
        webhook_outbox: { id: string; payload: string; connection_id: string | null };
      }>;
      const rows = await outbox.selectFrom('webhook_outbox').select(['id', 'payload']).execute();
      for (const row of rows) {
        const { data } = JSON.parse(row.payload) as { data?: { connection_id?: unknown } };
        if (typeof data?.connection_id !== 'string') continue;
        await outbox
          .updateTable('webhook_outbox')
          .set({ connection_id: data.connection_id })
          .where('id', '=', row.id)
          .execute();
      }

      // A redelivery starts the retry budget afresh and marks the attempt it asks for.
      await db.schema
        .alterTable('webhook_outbox')
        .addColumn('attempts_before_redelivery', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('webhook_outbox')
        .addColumn('redelivery_requested_at', 'bigint')
        .execute();
    },
  },
  '0009_dashboard_sessions': {
    async up(db: Kysely<unknown>) {
      // Signed-in operators of `/dashboard` (DESIGN §4.11): the session id only as its SHA-256,
      // so a copy of the database signs nobody in; idle and absolute expiry are both kept.
      await db.schema
        .createTable('dashboard_sessions')
        .addColumn('id_hash', 'text', (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
    },
  },
  '0010_shared_rate_limits': {
    async up(db: Kysely<unknown>) {
      // On PostgreSQL the replicas count requests here, one fixed-window counter per limiter
      // and client (DESIGN §4.11); SQLite (one process per file) keeps its limits in memory.
      // Unlogged on PostgreSQL: a counter written on every limited request costs no WAL flush,
      // and one lost with a crash of the database only forgives a minute's requests.
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable('rate_limits')
        .$call((table) => (postgres ? table.modifyFront(sql`unlogged`) : table))
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('window_start', 'bigint', (col) => col.notNull())
        .addColumn('count', 'integer', (col) => col.notNull())
        .execute();
      // Stale windows are deleted by age.
      await db.schema
        .createIndex('rate_limits_window_start')
        .on('rate_limits')
        .column('window_start')
        .execute();
      // Retention deletes the operations log by age, oldest first, in short batches.
      await db.schema.createIndex('logs_created_at').on('logs').column('created_at').execute();
      // …and the events that failed for good (the delivered ones have `webhook_outbox_due`).
      await db.schema
        .createIndex('webhook_outbox_failed_at')
        .on('webhook_outbox')
        .column('failed_at')
        .execute();
    },
  },
  '0011_connections_by_status': {
    async up(db: Kysely<unknown>) {
      // `/metrics` counts connections by integration and status at every scrape: with this
      // index that is a scan of the index alone, not of every row and its credentials.
      await db.schema
        .createIndex('connections_integration_status')
        .on('connections')
        .columns(['integration_id', 'status'])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Thrown when the schema cannot be brought up to date; the server does not start. */
export class MigrationError extends Error {
  readonly code = 'internal_error';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Brings the schema up to date. Safe to run from several processes at once (DESIGN §6.10). On
 * PostgreSQL, Kysely's migrator holds an advisory lock. Its SQLite adapter locks nothing (it
 * assumes one process), so there the whole run happens inside `BEGIN IMMEDIATE`: the first
 * process takes the file's write lock, the others wait for it (`busy_timeout`) and then find
 * the schema current. A failed migration rolls back whole, DDL included.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  const { error, results } =
    dialect === 'postgres'
      ? await new Migrator({ db, provider }).migrateToLatest()
      : await db.connection().execute(async (connection) => {
          await sql`begin immediate`.execute(connection);
          const outcome = await new Migrator({ db: connection, provider }).migrateToLatest();
          await sql.raw(outcome.error ? 'rollback' : 'commit').execute(connection);
          return outcome;
        });
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const which = failed ? `database migration ${failed}` : 'database migration';
    throw new MigrationError(`${which} failed`, { cause: error });
  }
}
