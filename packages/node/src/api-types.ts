/**
 * The server's JSON shapes (DESIGN §4.2), exactly as they travel: snake_case, timestamps as
 * ISO 8601 strings. The client returns them untranslated so that what you log, store or
 * compare is what the HTTP API, the OpenAPI description and the webhooks say. They are
 * declared once, in `@pingone-connect/protocol`, which the server's schemas are checked
 * against: these types cannot drift from what the server sends.
 */
export type {
  ConnectSession,
  Connection,
  ConnectionStatus,
  ConnectionStatusReason,
  ConnectionSummary,
  CreatedIntegration,
  Credentials,
  DeletedConnection,
  EndUser,
  Integration,
  IntegrationInput,
  IntegrationInvalidDetails,
  IntegrationPatch,
  IntegrationSource,
  LogEntry,
  Organization,
  Page,
  PingOneRegion,
  PreflightCheck,
  PreflightResult,
  ProviderAccount,
  PublicJwk,
  SigningAlg,
  SigningKeyView,
  TokenAuthMethod,
  TokenKind,
  UpdatedIntegration,
  DeliveredWebhookDelivery,
  ErroredWebhookDelivery,
  FailedWebhookDelivery,
  WebhookDelivery,
  WebhookDeliveryFields,
  WebhookDeliveryOutcome,
  WebhookEvent,
  WebhookEventState,
  WebhookEventStatus,
  WebhookEventType,
  ConnectFailedEvent,
  ConnectionEvent,
  ConnectionEventType,
} from '@pingone-connect/protocol';
