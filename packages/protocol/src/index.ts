export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';
export {
  RESULT_MESSAGE_TYPE,
  isResultMessage,
  type FailureMessage,
  type OAuthError,
  type ErrorResponse,
  type ResultError,
  type ResultMessage,
  type SuccessMessage,
} from './result-message.js';
