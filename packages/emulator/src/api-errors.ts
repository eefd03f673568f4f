import { randomUUID } from 'node:crypto';

/**
 * The PingOne API's top-level error codes the emulator answers, with PingOne's messages. The
 * shape `{ id, code, message, details? }` and the INVALID_DATA message are PingOne's own:
 * https://developer.pingidentity.com/pingone-api/platform/reference/error-codes.html
 * The ACCESS_FAILED and NOT_FOUND messages are quoted as PingOne returns them in
 * https://github.com/pingidentity/terraform-provider-pingone/blob/main/docs/guides/admin-role-management.md
 * and that provider's tests. No page quoted here gives the INVALID_TOKEN and REQUEST_LIMITED
 * messages; those two are the emulator's words in PingOne's pattern.
 */
export const API_ERROR_MESSAGES = {
  INVALID_DATA:
    'The request could not be completed. One or more validation errors were in the request.',
  INVALID_TOKEN:
    'The request could not be completed. The access token is missing, invalid or expired.',
  ACCESS_FAILED: 'The request could not be completed. You do not have access to this resource.',
  NOT_FOUND: 'The request could not be completed. The requested resource was not found.',
  REQUEST_LIMITED: 'The request could not be completed. Too many requests were made.',
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_MESSAGES;

/** A detail of an error: PingOne's `details[]` entries (`{ code, target, message }`). */
export interface ApiErrorDetail {
  code: string;
  target?: string;
  message: string;
}

export interface ApiErrorBody {
  id: string;
  code: ApiErrorCode;
  message: string;
  details?: ApiErrorDetail[];
}

/** A PingOne API error body with a fresh `id`. */
export function apiErrorBody(code: ApiErrorCode, details?: ApiErrorDetail[]): ApiErrorBody {
  return { id: randomUUID(), code, message: API_ERROR_MESSAGES[code], ...(details && { details }) };
}
