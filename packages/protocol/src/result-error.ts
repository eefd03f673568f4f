import { isErrorCode, type ErrorCode } from './error-codes.js';
import { hasExactKeys, isRecord, isString } from './guards.js';
import { isIntegrationInvalidDetails, type IntegrationInvalidDetails } from './integration.js';

/** The raw OAuth error PingOne returned, passed through for diagnostics. */
export interface OAuthError {
  error: string;
  error_description?: string;
}

/** A coded failure, as the HTTP API, the result message and attempt polling carry it. */
export interface ResultError {
  code: ErrorCode;
  message: string;
  oauth_error?: OAuthError;
}

/** The body of every error response of the server's HTTP API (DESIGN §4.2). */
export interface ErrorResponse {
  error: ErrorBody;
}

/** The `error` of an {@link ErrorResponse}. */
export interface ErrorBody extends ResultError {
  /** Only on `integration_invalid`: every check of the preflight that failed. */
  details?: IntegrationInvalidDetails;
}

/** A strict guard: `error`, optionally `error_description`, both strings, nothing else. */
export function isOAuthError(value: unknown): value is OAuthError {
  return (
    isRecord(value) &&
    hasExactKeys(value, ['error'], ['error_description']) &&
    isString(value.error) &&
    (value.error_description === undefined || isString(value.error_description))
  );
}

/** A strict guard: a code of the closed list, a message, at most a well-formed `oauth_error`. */
export function isResultError(value: unknown): value is ResultError {
  return (
    isRecord(value) &&
    hasExactKeys(value, ['code', 'message'], ['oauth_error']) &&
    isErrorCode(value.code) &&
    isString(value.message) &&
    (value.oauth_error === undefined || isOAuthError(value.oauth_error))
  );
}

/**
 * A strict guard for the server's error body, `{"error":{"code","message"}}`. A code outside
 * the closed list fails it: a caller that must cope with a newer server checks the shape
 * itself and maps the unknown code.
 */
export function isErrorResponse(value: unknown): value is ErrorResponse {
  if (!isRecord(value) || !hasExactKeys(value, ['error']) || !isRecord(value.error)) return false;
  const { details, ...error } = value.error;
  if (!Object.hasOwn(value.error, 'details')) return isResultError(value.error);
  return (
    error.code === 'integration_invalid' &&
    isResultError(error) &&
    isIntegrationInvalidDetails(details)
  );
}
