import type { z } from 'zod';
import { present } from '../connections/view.js';
import type { Services } from '../context.js';
import type { LogEntry, Page } from '@pingone-connect/protocol';
import { decodeCursor, pageSize, toPage } from '../pagination.js';
import type { listLogsQuery } from '../schemas.js';
import type { LogQuery, LogEntry as LogRow } from '../store/journal.js';

/** Filters the dashboard adds to those of the API (DESIGN §4.11). */
export type LogSearch = Pick<LogQuery, 'integrationId' | 'event' | 'level' | 'since' | 'until'>;

/** An operations-log row as the API shows it. */
export function logEntryView(entry: LogRow): LogEntry {
  return {
    id: entry.id,
    at: new Date(entry.createdAt).toISOString(),
    type: entry.event,
    level: entry.level,
    message: entry.message,
    ...present({
      integration_id: entry.integrationId ?? null,
      end_user_id: entry.endUserId ?? null,
      connection_id: entry.connectionId ?? null,
      attempt_id: entry.attemptId ?? null,
      details: entry.data ? { ...entry.data } : null,
    }),
  };
}

/**
 * `GET /logs`: the operations log, newest first, filtered by connection or attempt. Rows are
 * written without secrets (and redacted again on the way in), so they are shown as stored.
 */
export async function listLogs(
  services: Services,
  query: z.infer<typeof listLogsQuery>,
  search: LogSearch = {},
): Promise<Page<LogEntry>> {
  const size = pageSize(query.limit);
  const rows = await services.store.journal.list({
    ...search,
    ...(query.connection_id === undefined ? {} : { connectionId: query.connection_id }),
    ...(query.attempt_id === undefined ? {} : { attemptId: query.attempt_id }),
    ...(query.cursor === undefined ? {} : { before: decodeCursor('log', query.cursor) }),
    limit: size + 1,
  });
  return toPage(rows, size, logEntryView);
}
