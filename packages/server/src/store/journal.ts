import type { LogLevel } from '@pingone-connect/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Database, LogsTable } from './schema.js';

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

/** The `logs` table: the operations log behind `GET /logs`. */
export class JournalRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Writes a row; returns it as stored. */
  async insert(entry: LogEntry): Promise<LogEntry> {
    const row = await this.#db
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
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLogEntry(row);
  }

  async list(query: LogQuery): Promise<LogEntry[]> {
    let select = this.#db.selectFrom('logs').selectAll();
    if (query.connectionId !== undefined) {
      select = select.where('connection_id', '=', query.connectionId);
    }
    if (query.attemptId !== undefined) select = select.where('attempt_id', '=', query.attemptId);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toLogEntry);
  }
}
