import type { OAuthError } from '@pingone-connect/protocol';
import * as oauth from 'oauth4webapi';
import { ApiError } from '../errors.js';

/** The code a failed call gets when PingOne answered and said no. */
export type RefusalCode = 'token_exchange_failed' | 'refresh_failed' | 'provider_error';

/** Errors of the ID token's own checks (signature shape, `iss`, `aud`, `exp`, `nonce`, …). */
function isIdTokenFailure(error: oauth.OperationProcessingError): boolean {
  return (
    error.code === oauth.JWT_CLAIM_COMPARISON ||
    error.code === oauth.JWT_TIMESTAMP_CHECK ||
    /\bJWT\b|ID Token|"id_token"/.test(error.message)
  );
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

/** A failed token-endpoint call as a coded error; `refused` is the code for PingOne saying no. */
export function classifyFailure(error: unknown, refused: RefusalCode): ApiError {
  if (error instanceof ApiError) return error;
  if (isTransportFailure(error))
    return new ApiError('provider_unavailable', undefined, { cause: error });
  if (error instanceof oauth.ResponseBodyError) {
    if (error.status >= 500)
      return new ApiError('provider_unavailable', undefined, { cause: error });
    const oauthError = oauthErrorOf(error);
    return new ApiError(refused, undefined, { cause: error, oauthError });
  }
  if (error instanceof oauth.OperationProcessingError && isIdTokenFailure(error)) {
    return new ApiError('id_token_invalid', undefined, { cause: error });
  }
  return new ApiError(refused, undefined, { cause: error });
}
