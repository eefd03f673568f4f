import { hasExactKeys, isArrayOf, isId, isRecord, isString } from './guards.js';
import { isResultError, type ResultError } from './result-error.js';

/** The `type` of every message the result page posts to the popup's opener. */
export const RESULT_MESSAGE_TYPE = 'pingone-connect:result';

interface ResultMessageBase {
  v: 1;
  type: typeof RESULT_MESSAGE_TYPE;
  attempt_id: string;
}

export interface SuccessMessage extends ResultMessageBase {
  ok: true;
  connection_id: string;
  end_user_id: string;
  scopes: string[];
}

export interface FailureMessage extends ResultMessageBase {
  ok: false;
  error: ResultError;
}

/**
 * What the result page posts to `window.opener` (DESIGN §4.4). It never carries a token:
 * the element learns only which connection was made.
 */
export type ResultMessage = SuccessMessage | FailureMessage;

const BASE_KEYS = ['v', 'type', 'attempt_id', 'ok'] as const;

/**
 * A strict guard for messages arriving through `postMessage`: anything off-schema (an extra
 * key, another version, a missing field, an unknown error code) is rejected, so a page that
 * shares the window cannot smuggle a look-alike through.
 */
export function isResultMessage(value: unknown): value is ResultMessage {
  if (!isRecord(value)) return false;
  if (value.v !== 1 || value.type !== RESULT_MESSAGE_TYPE || !isId(value.attempt_id)) return false;
  if (value.ok === true) {
    return (
      hasExactKeys(value, [...BASE_KEYS, 'connection_id', 'end_user_id', 'scopes']) &&
      isId(value.connection_id) &&
      isId(value.end_user_id) &&
      isArrayOf(value.scopes, isString)
    );
  }
  if (value.ok === false) {
    return hasExactKeys(value, [...BASE_KEYS, 'error']) && isResultError(value.error);
  }
  return false;
}
