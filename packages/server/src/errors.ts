import type {
  ErrorCode,
  ErrorResponse,
  IntegrationInvalidDetails,
  OAuthError,
  ResultError,
} from '@pingone-connect/protocol';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The codes the server answers with; `popup_blocked` and `popup_closed` only happen in the browser. */
export type ServerErrorCode = Exclude<ErrorCode, 'popup_blocked' | 'popup_closed'>;

const STATUS: Record<ServerErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden_origin: 403,
  session_expired: 401,
  session_invalid: 401,
  session_used: 409,
  state_mismatch: 400,
  state_used: 409,
  browser_mismatch: 403,
  issuer_mismatch: 400,
  access_denied: 403,
  provider_error: 502,
  provider_unavailable: 503,
  token_exchange_failed: 502,
  id_token_invalid: 502,
  refresh_failed: 502,
  connection_not_found: 404,
  rate_limited: 429,
  internal_error: 500,
  integration_not_found: 404,
  integration_invalid: 422,
  conflict: 409,
};

// Written for the person in the popup as much as for the integrator: no internals, no values.
const MESSAGES: Record<ServerErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  unauthorized: 'A valid secret key is required.',
  forbidden_origin: 'This origin is not allowed to connect.',
  session_expired: 'The connect session has expired. Start again.',
  session_invalid: 'The connect session is not valid.',
  session_used: 'The connect session has already been used.',
  state_mismatch: 'The sign-in response does not belong to a pending connection. Start again.',
  state_used: 'This sign-in response has already been used.',
  browser_mismatch: 'The sign-in finished in a different browser than it started in. Start again.',
  issuer_mismatch: 'The sign-in response came from an unexpected issuer.',
  access_denied: 'Access was not granted.',
  provider_error: 'PingOne returned an error.',
  provider_unavailable: 'PingOne did not answer in time. Try again.',
  token_exchange_failed: 'PingOne refused to complete the sign-in.',
  id_token_invalid: 'PingOne returned an identity token that failed validation.',
  refresh_failed: 'The credentials could not be refreshed.',
  connection_not_found: 'No such connection.',
  rate_limited: 'Too many requests. Try again later.',
  internal_error: 'Something went wrong on the server.',
  integration_not_found: 'No such integration.',
  integration_invalid: 'The PingOne settings failed a preflight check.',
  conflict: 'The request conflicts with the current state.',
};

/** Options of an {@link ApiError} beyond its code and message. */
export interface ApiErrorOptions {
  cause?: unknown;
  /** PingOne's raw OAuth error, passed through for diagnostics (`provider_error`, `token_exchange_failed`). */
  oauthError?: OAuthError;
  /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** The failed preflight's checks, on `integration_invalid` only (DESIGN §4.8). */
  details?: IntegrationInvalidDetails;
}

/**
 * A coded failure. Every error response of the server is rendered from one of these by the
 * app's single `onError`: as the JSON of {@link ApiError.getResponse}, or inside the popup by
 * the renderer the popup's middleware puts in `c.var.renderError`. The message is safe to
 * show and never contains a secret.
 */
export class ApiError extends HTTPException {
  readonly code: ServerErrorCode;
  readonly oauthError: OAuthError | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: IntegrationInvalidDetails | undefined;

  constructor(
    code: ServerErrorCode,
    message: string = MESSAGES[code],
    options: ApiErrorOptions = {},
  ) {
    super(STATUS[code], { message, cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.oauthError = options.oauthError;
    this.headers = options.headers ?? {};
    this.details = options.details;
  }

  /** The API's answer for this failure: `{"error": {...}}` with its status and headers. */
  override getResponse(): Response {
    const body: ErrorResponse = {
      error: { ...this.toResultError(), ...(this.details ? { details: this.details } : {}) },
    };
    return Response.json(body, { status: this.status, headers: this.headers });
  }

  /** The `error` object of the JSON body and of the popup's result message. */
  toResultError(): ResultError {
    return {
      code: this.code,
      message: this.message,
      ...(this.oauthError ? { oauth_error: this.oauthError } : {}),
    };
  }
}

const recordedFailures = new WeakSet<ApiError>();

/**
 * Marks a failure its route already logged or recorded on the attempt, so that `onError`
 * only renders it and does not log it a second time.
 */
export function recorded(error: ApiError): ApiError {
  recordedFailures.add(error);
  return error;
}

/** Whether {@link recorded} marked this failure. */
export function isRecorded(error: ApiError): boolean {
  return recordedFailures.has(error);
}

/** The status a code is answered with. */
export function statusOf(code: ServerErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/**
 * Converts anything thrown into an {@link ApiError}: coded errors pass through, Hono's own
 * client errors (malformed JSON, body too large) become `invalid_request`, the rest
 * `internal_error` with the original kept as `cause` for the log only.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException && error.status >= 400 && error.status < 500) {
    if (error.status === 413) {
      return new ApiError('invalid_request', 'The request body is too large.', { cause: error });
    }
    const code: ServerErrorCode =
      error.status === 401
        ? 'unauthorized'
        : error.status === 429
          ? 'rate_limited'
          : 'invalid_request';
    return new ApiError(code, MESSAGES[code], { cause: error });
  }
  return new ApiError('internal_error', MESSAGES.internal_error, { cause: error });
}

/** `invalid_request` with a message that names what is wrong (never the value). */
export function invalidRequest(message: string): ApiError {
  return new ApiError('invalid_request', message);
}

/**
 * The log fields of a failure: its code and safe message, the underlying error (the logger
 * reduces it to name, message and code; the libraries' messages name checks, not values) and,
 * for `internal_error` only, its stack.
 */
export function failureFields(error: ApiError): Record<string, unknown> {
  const { cause } = error;
  return {
    error_code: error.code,
    reason: error.message,
    ...(cause === undefined ? {} : { cause }),
    ...(error.code === 'internal_error' && cause instanceof Error ? { stack: cause.stack } : {}),
  };
}
