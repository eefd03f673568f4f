/**
 * The closed list of error codes that the server answers with and the element emits.
 * Add a code only by adding it here and in DESIGN §4.3.
 */
export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden_origin',
  'session_expired',
  'session_invalid',
  'session_used',
  'popup_blocked',
  'popup_closed',
  'state_mismatch',
  'state_used',
  'browser_mismatch',
  'issuer_mismatch',
  'access_denied',
  'provider_error',
  'provider_unavailable',
  'token_exchange_failed',
  'id_token_invalid',
  'refresh_failed',
  'connection_not_found',
  'rate_limited',
  'internal_error',
  'integration_not_found',
  'integration_invalid',
  'conflict',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const codes: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && codes.has(value);
}
