export { isAttemptStatus, type AttemptStatus } from './attempt-status.js';
export type {
  Connection,
  ConnectionStatus,
  ConnectionStatusReason,
  ConnectionSummary,
  ConnectSession,
  Credentials,
  DeletedConnection,
  EndUser,
  Organization,
  ProviderAccount,
  TokenKind,
} from './connection.js';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';
export { isRecord } from './guards.js';
export {
  isIntegrationInvalidDetails,
  isPreflightCheck,
  type CreatedIntegration,
  type Integration,
  type IntegrationInput,
  type IntegrationInvalidDetails,
  type IntegrationPatch,
  type IntegrationSource,
  type PingOneRegion,
  type PreflightCheck,
  type PreflightResult,
  type PublicJwk,
  type SigningAlg,
  type SigningKeyView,
  type TokenAuthMethod,
  type UpdatedIntegration,
} from './integration.js';
export { LOG_LEVELS, type LogEntry, type LogLevel } from './log-entry.js';
export type { Page } from './page.js';
export { PROXY_API_BASE_HEADER } from './proxy.js';
export {
  isErrorResponse,
  isOAuthError,
  isResultError,
  type ErrorBody,
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
export {
  WEBHOOK_DELIVERY_OUTCOMES,
  type DeliveredWebhookDelivery,
  type ErroredWebhookDelivery,
  type FailedWebhookDelivery,
  type WebhookDelivery,
  type WebhookDeliveryFields,
  type WebhookDeliveryOutcome,
  type WebhookEventState,
  type WebhookEventStatus,
} from './webhook-delivery.js';
export {
  WEBHOOK_EVENT_TYPES,
  isWebhookEventType,
  type ConnectFailedEvent,
  type ConnectionEvent,
  type ConnectionEventType,
  type WebhookEvent,
  type WebhookEventType,
} from './webhook-event.js';
