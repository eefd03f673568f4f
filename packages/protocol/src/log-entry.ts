/** The levels the server writes operations-log entries at. */
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One entry of the server's operations log (`GET /logs`): what happened, never a token or a
 * body. `type` and `level` are open on purpose: the set of entries grows with the server, and
 * a value this version does not list must not be a type error for code that reads the log.
 */
export interface LogEntry {
  id: string;
  /** When it happened (ISO 8601). */
  at: string;
  /**
   * What happened, e.g. `attempt.succeeded`, `connection.created`, `connection.refreshed`,
   * `proxy.request`, `webhook.delivered`.
   */
  type: string;
  level: LogLevel | (string & {});
  message: string;
  /** The integration the entry concerns; absent when it concerns none. */
  integration_id?: string;
  /** Your user the entry concerns, when it concerns one. */
  end_user_id?: string;
  connection_id?: string;
  attempt_id?: string;
  /** What the entry records beyond its message, e.g. a proxied call's method and status. */
  details?: Record<string, unknown>;
}
