import type { ResultMessage } from '@pingone-connect/protocol';
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

/** The outcome a (validated) result message reports. */
export function outcomeOf(message: ResultMessage): Outcome {
  if (!message.ok) {
    const { code, message: text, oauth_error } = message.error;
    return new ConnectError(code, text, { oauth_error });
  }
  const { connection_id, end_user_id, scopes } = message;
  return { connection_id, end_user_id, scopes };
}
