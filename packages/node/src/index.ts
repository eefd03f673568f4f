export {
  PingOneConnect,
  type ConnectLinkOptions,
  type CreateConnectSessionOptions,
  type DeleteIntegrationOptions,
  type GetConnectionOptions,
  type ListConnectionsOptions,
  type ListLogsOptions,
  type ListWebhookDeliveriesOptions,
  type PageOptions,
  type PingOneConnectOptions,
} from './client.js';
export {
  PingOneApiError,
  PingOneConnectError,
  PingOneConnectTransportError,
  PingOnePaginationError,
  type PaginationErrorReason,
  type TransportErrorCode,
} from './errors.js';
export type * from './api-types.js';
export type { EmbeddedCollection, PaginateOptions } from './paginate.js';
export type {
  ParamValue,
  ProxyMethod,
  ProxyOptions,
  ProxyResponse,
  ProxyShorthandOptions,
} from './proxy-request.js';
export type { RequestOptions } from './transport.js';
export {
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookOptions,
  type WebhookHeaders,
  type WebhookVerificationErrorCode,
} from './webhooks.js';
export type { ErrorCode, OAuthError } from '@pingone-connect/protocol';
