import { hasExactKeys, isArrayOf, isId, isRecord, isString } from './guards.js';
import { isResultError, type ResultError } from './result-error.js';

/**
 * `GET /connect/attempts/:attempt_id`: how an attempt stands, for the element when its popup
 * closed without a message. Its success and failure carry what a result message would.
 */
export type AttemptStatus =
  | { status: 'pending' }
  | { status: 'success'; connection_id: string; end_user_id: string; scopes: string[] }
  | { status: 'error'; error: ResultError };

/**
 * A strict guard, as strict as `isResultMessage`: the element trusts a poll answer as far as it
 * trusts a posted message, so an extra key, a missing field or an unknown code is refused.
 */
export function isAttemptStatus(value: unknown): value is AttemptStatus {
  if (!isRecord(value)) return false;
  switch (value.status) {
    case 'pending':
      return hasExactKeys(value, ['status']);
    case 'success':
      return (
        hasExactKeys(value, ['status', 'connection_id', 'end_user_id', 'scopes']) &&
        isId(value.connection_id) &&
        isId(value.end_user_id) &&
        isArrayOf(value.scopes, isString)
      );
    case 'error':
      return hasExactKeys(value, ['status', 'error']) && isResultError(value.error);
    default:
      return false;
  }
}
