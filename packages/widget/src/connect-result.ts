import type { ResultMessage } from '@pingone-connect/protocol';
import { ConnectError } from './connect-error.js';

/** The connection the end user just made: what `connect()` resolves to and `pingone-connect-success` carries. */
export interface ConnectResult {
  connection_id: string;
  end_user_id: string;
  /** The scopes PingOne granted. */
  scopes: string[];
}

/** How one attempt ended, either way. */
export type Outcome = { ok: true; result: ConnectResult } | { ok: false; error: ConnectError };

/** The outcome a (validated) result message reports. */
export function outcomeOf(message: ResultMessage): Outcome {
  if (message.ok) {
    const { connection_id, end_user_id, scopes } = message;
    return { ok: true, result: { connection_id, end_user_id, scopes } };
  }
  const { code, message: text, oauth_error } = message.error;
  return { ok: false, error: new ConnectError(code, text, { oauth_error }) };
}
