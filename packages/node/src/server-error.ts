import {
  isErrorCode,
  isIntegrationInvalidDetails,
  isOAuthError,
  isRecord,
  type ErrorCode,
  type OAuthError,
} from '@pingone-connect/protocol';
import { PingOneConnectError } from './errors.js';

/** The part of the server's error body (`{"error":{"code","message"}}`) that the client reads. */
interface ServerErrorBody {
  error: { code: string; message: string; oauth_error?: OAuthError; details?: unknown };
}

/**
 * True when `body` is the server's own error JSON. PingOne's errors never have this shape (its
 * Management API answers `{id, code, message}`, its OAuth endpoints `{error: "<string>"}`), which
 * is how the proxy tells the server's refusals from PingOne's answers passed through. Looser
 * than the protocol's `isErrorResponse` on purpose: a newer server's code, unknown here, must
 * still read as the server's refusal rather than as PingOne's answer.
 */
export function isServerErrorBody(body: unknown): body is ServerErrorBody {
  if (!isRecord(body) || !isRecord(body.error)) return false;
  return typeof body.error.code === 'string' && typeof body.error.message === 'string';
}

/**
 * The error for a non-2xx answer of the server. A code this client does not know (a newer
 * server) or a body that is not the server's (a gateway's HTML page) falls back to a code
 * derived from the status, so `code` is always one of the closed list.
 */
export function serverError(status: number, body: unknown): PingOneConnectError {
  if (isServerErrorBody(body)) {
    const { code, message, oauth_error, details } = body.error;
    const known = isErrorCode(code) ? code : codeForStatus(status);
    const oauthError = isOAuthError(oauth_error) ? oauth_error : undefined;
    const checks = isIntegrationInvalidDetails(details) ? details : undefined;
    return new PingOneConnectError(known, status, message, { oauthError, details: checks });
  }
  // The server's API never redirects; a 3xx comes from something in front of it.
  const message =
    status >= 300 && status < 400
      ? `The server answered ${status}, a redirect, which the client does not follow: check that host is the server's own URL.`
      : `The server answered ${status} without a pingone-connect error body.`;
  return new PingOneConnectError(codeForStatus(status), status, message);
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  return 'internal_error';
}
