import type { ResultError } from '@pingone-connect/protocol';
import { ConnectError } from './connect-error.js';

/** The connection the end user just made: what `connect()` resolves to and `pingone-connect-success` carries. */
export interface ConnectResult {
  connection_id: string;
  end_user_id: string;
  /** The scopes PingOne granted. */
  scopes: string[];
}

/** How one attempt ended: the connection, or why there is none. */
export type Outcome = ConnectResult | ConnectError;

/**
 * How an attempt ended, as the result page posts it (a `ResultMessage`), as the server answers
 * a poll once it is no longer pending (an `AttemptStatus`), or as the server refused the
 * session. All carry the same fields; only the failure has `error`.
 */
export type Report = ConnectResult | { error: ResultError };

/** The outcome a (validated) report gives. */
export function outcomeOf(report: Report): Outcome {
  if ('error' in report) {
    const { code, message, oauth_error } = report.error;
    return new ConnectError(code, message, { oauth_error });
  }
  const { connection_id, end_user_id, scopes } = report;
  return { connection_id, end_user_id, scopes };
}
