import type { Insertable, Kysely, Selectable } from 'kysely';
import type { LogLevel } from '@pingone-connect/protocol';
import type { LogBatch } from './log-batch.js';
import type { LogEntry } from './log-entry.js';
import type { Database, LogsTable } from './schema.js';

export type { LogEntry } from './log-entry.js';

/** Filters and cursor of an operations-log listing, newest first. */
export interface LogQuery {
  readonly connectionId?: string;
  readonly attemptId?: string;
  readonly integrationId?: string;
  readonly event?: string;
  readonly level?: LogLevel;
  /** Only entries written at or after this time (epoch milliseconds). */
  readonly since?: number;
  /** Only entries written before this time. */
  readonly until?: number;
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

function toRow(entry: LogEntry): Insertable<LogsTable> {
  return {
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
      .values(toRow(entry))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLogEntry(row);
  }

  /**
   * Writes rows one statement each, all the same prepared statement (one multi-row insert per
   * batch length would crowd the statement cache); in a transaction they commit together.
   */
  async insertAll(entries: readonly LogEntry[]): Promise<void> {
    for (const entry of entries) await this.#db.insertInto('logs').values(toRow(entry)).execute();
  }

  async list(query: LogQuery): Promise<LogEntry[]> {
    let select = this.#db.selectFrom('logs').selectAll();
    if (query.connectionId !== undefined) {
      select = select.where('connection_id', '=', query.connectionId);
    }
    if (query.attemptId !== undefined) select = select.where('attempt_id', '=', query.attemptId);
    if (query.integrationId !== undefined) {
      select = select.where('integration_id', '=', query.integrationId);
    }
    if (query.event !== undefined) select = select.where('event', '=', query.event);
    if (query.level !== undefined) select = select.where('level', '=', query.level);
    if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('created_at', '<', query.until);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toLogEntry);
  }

  /** One entry, by id. */
  async find(id: string): Promise<LogEntry | undefined> {
    const row = await this.#db
      .selectFrom('logs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toLogEntry(row);
  }
}

/**
 * The operations log outside any transaction. Rows of no state change queue in a
 * {@link LogBatch} and commit a batch at a time; reads commit the queue first, so they see
 * every row recorded in this process before them.
 */
export class BatchingJournalRepository extends JournalRepository {
  readonly #batch: LogBatch;

  constructor(db: Kysely<Database>, batch: LogBatch) {
    super(db);
    this.#batch = batch;
  }

  /**
   * Queues a row that belongs to no state change; settles once its batch has committed or
   * failed. Committed later than a state change's row, and lost with the rest of its batch
   * on a power loss or kill -9 before then.
   */
  append(entry: LogEntry): Promise<void> {
    return this.#batch.append(entry);
  }

  /** Commits the queued rows now. Never rejects: each row's own promise says how it went. */
  flush(): Promise<void> {
    return this.#batch.flush();
  }

  override async list(query: LogQuery): Promise<LogEntry[]> {
    await this.#batch.flush();
    return super.list(query);
  }

  override async find(id: string): Promise<LogEntry | undefined> {
    await this.#batch.flush();
    return super.find(id);
  }
}
