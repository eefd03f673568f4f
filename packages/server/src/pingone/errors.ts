import { isRecord, type OAuthError } from '@pingone-connect/protocol';
import * as oauth from 'oauth4webapi';
import { ApiError } from '../errors.js';

/** The code a failed call gets when PingOne answered and said no. */
export type RefusalCode = 'token_exchange_failed' | 'refresh_failed' | 'provider_error';

/**
 * oauth4webapi's codes for a JWT's claim, time and key checks (`iss`, `aud`, `nonce`, `exp`, …):
 * at the token endpoint the ID token is the only JWT it checks.
 */
const JWT_CHECKS: ReadonlySet<string> = new Set([
  oauth.JWT_CLAIM_COMPARISON,
  oauth.JWT_TIMESTAMP_CHECK,
  oauth.KEY_SELECTION,
]);

/** oauth4webapi's codes for something malformed: the token response itself, or its ID token. */
const MALFORMED: ReadonlySet<string> = new Set([oauth.INVALID_RESPONSE, oauth.PARSE_ERROR]);

/**
 * Whether a token response's body holds an ID token: read from a copy before oauth4webapi
 * processes it, so that a malformed ID token can be told from a malformed token response.
 */
export async function carriesIdToken(response: Response): Promise<boolean> {
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  return isRecord(body) && typeof body.id_token === 'string';
}

/**
 * Whether oauth4webapi refused the ID token rather than the token response around it. A JWT
 * check can only be the ID token's. A malformed token response and a malformed ID token share
 * their codes, but the token response's own field checks run first and give its parsed body as
 * the cause; so a malformed-code failure of a body that holds an ID token, without that cause,
 * is the ID token's (not a JWT, bad base64url, a missing or mistyped claim, a bad signature).
 */
function isIdTokenFailure(error: oauth.OperationProcessingError, idTokenInBody: boolean): boolean {
  const code = error.code ?? '';
  if (JWT_CHECKS.has(code)) return true;
  const aboutBody = isRecord(error.cause) && 'body' in error.cause;
  return idTokenInBody && MALFORMED.has(code) && !aboutBody;
}

/** PingOne's raw OAuth error, as passed on to the element and the integrator. */
export function oauthErrorOf(error: {
  error: string;
  error_description?: string | undefined;
}): OAuthError {
  return {
    error: error.error,
    ...(error.error_description ? { error_description: error.error_description } : {}),
  };
}

/**
 * A network failure or timeout on the way to PingOne: fetch rejects with a plain TypeError or
 * an abort; oauth4webapi's own argument errors are TypeErrors too, but carry a `code`.
 */
export function isTransportFailure(error: unknown): boolean {
  return (
    (error instanceof TypeError && !('code' in error)) ||
    (error instanceof DOMException &&
      (error.name === 'TimeoutError' || error.name === 'AbortError'))
  );
}

/**
 * Whether a failed call may still have taken effect at PingOne: it timed out or the connection
 * broke, so PingOne may have acted without our hearing the answer. Any answer, error or not,
 * says what it did.
 */
export function outcomeUnknown(failure: ApiError): boolean {
  return failure.code === 'provider_unavailable' && isTransportFailure(failure.cause);
}

/** PingOne failing (a 5xx answer) is `provider_unavailable`, whatever the body says. */
export async function refuseServerError(response: Response, endpoint: string): Promise<void> {
  if (response.status < 500) return;
  await response.body?.cancel();
  const cause = new Error(`${endpoint} answered ${response.status}`);
  throw new ApiError('provider_unavailable', undefined, { cause });
}

/**
 * A failed token-endpoint call as a coded error; `refused` is the code for PingOne saying no,
 * `idTokenInBody` what {@link carriesIdToken} found in its answer.
 */
export function classifyFailure(
  error: unknown,
  refused: RefusalCode,
  idTokenInBody = false,
): ApiError {
  if (error instanceof ApiError) return error;
  if (isTransportFailure(error))
    return new ApiError('provider_unavailable', undefined, { cause: error });
  if (error instanceof oauth.ResponseBodyError) {
    if (error.status >= 500)
      return new ApiError('provider_unavailable', undefined, { cause: error });
    const oauthError = oauthErrorOf(error);
    return new ApiError(refused, undefined, { cause: error, oauthError });
  }
  if (error instanceof oauth.OperationProcessingError && isIdTokenFailure(error, idTokenInBody)) {
    return new ApiError('id_token_invalid', undefined, { cause: error });
  }
  return new ApiError(refused, undefined, { cause: error });
}
