import { newId } from '../ids.js';
import type { LogEntry } from '../store/journal.js';
import type { Repositories } from '../store/store.js';
import { redact } from '../logger/logger.js';

/** An operations-log entry before it gets its id and time. */
export type Operation = Omit<LogEntry, 'id' | 'createdAt'>;

/**
 * Writes a row of the operations log (what `GET /logs` will list). Pass the transaction's
 * store so the row commits, or rolls back, with the change it describes.
 */
export async function recordOperation(
  store: Repositories,
  at: number,
  operation: Operation,
): Promise<void> {
  const data = operation.data ? (redact(operation.data) as Record<string, unknown>) : null;
  await store.journal.insert({ ...operation, data, id: newId('log', at), createdAt: at });
}
