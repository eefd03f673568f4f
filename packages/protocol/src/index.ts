export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';
export { isRecord } from './guards.js';
export {
  isOAuthError,
  isResultError,
  type ErrorResponse,
  type OAuthError,
  type ResultError,
} from './result-error.js';
export {
  RESULT_MESSAGE_TYPE,
  isResultMessage,
  type FailureMessage,
  type ResultMessage,
  type SuccessMessage,
} from './result-message.js';
