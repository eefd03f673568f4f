import { isErrorCode, type ErrorCode } from './error-codes.js';

/** The `type` of every message the result page posts to the popup's opener. */
export const RESULT_MESSAGE_TYPE = 'pingone-connect:result';

/** The raw OAuth error PingOne returned, passed through for diagnostics. */
export interface OAuthError {
  error: string;
  error_description?: string;
}

export interface ResultError {
  code: ErrorCode;
  message: string;
  oauth_error?: OAuthError;
}

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

type Guard<T> = (value: unknown) => value is T;

const isString: Guard<string> = (value): value is string => typeof value === 'string';
const isId: Guard<string> = (value): value is string => isString(value) && value.length > 0;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` has exactly the `required` keys plus any of the `optional` ones. */
function hasExactKeys(
  value: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[] = [],
): boolean {
  const keys = Object.keys(value);
  return (
    required.every((key) => Object.hasOwn(value, key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key))
  );
}

function isOAuthError(value: unknown): value is OAuthError {
  return (
    isRecord(value) &&
    hasExactKeys(value, ['error'], ['error_description']) &&
    isString(value.error) &&
    (value.error_description === undefined || isString(value.error_description))
  );
}

function isResultError(value: unknown): value is ResultError {
  return (
    isRecord(value) &&
    hasExactKeys(value, ['code', 'message'], ['oauth_error']) &&
    isErrorCode(value.code) &&
    isString(value.message) &&
    (value.oauth_error === undefined || isOAuthError(value.oauth_error))
  );
}

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
      Array.isArray(value.scopes) &&
      value.scopes.every(isString)
    );
  }
  if (value.ok === false) {
    return hasExactKeys(value, [...BASE_KEYS, 'error']) && isResultError(value.error);
  }
  return false;
}

/** The body of every error response of the server's HTTP API (DESIGN §4.2). */
export interface ErrorResponse {
  error: ResultError;
}
