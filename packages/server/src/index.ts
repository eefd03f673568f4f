/**
 * `@pingone-connect/server`: the Hono app, its configuration and its store. Run it on Node
 * with `serve()` from `@pingone-connect/server/node`, or with the `pingone-connect-server` bin.
 */
export { createApp, type AppOptions } from './app.js';
export {
  ConfigError,
  loadConfig,
  REGIONS,
  TOKEN_AUTH_METHODS,
  type Config,
  type ConfigIssue,
  type Integration,
  type Region,
  type TokenAuthMethod,
} from './config.js';
export type { AppEnv } from './context.js';
export { ApiError, type ServerErrorCode } from './errors.js';
export {
  createLogger,
  type LogFields,
  type LogLevel,
  type LogSink,
  type Logger,
  type LoggerOptions,
} from './logger/logger.js';
export { API_ROUTES, openApiDocument } from './openapi.js';
export { REFRESH_COOL_DOWN_MS, REFRESH_WINDOW_MS } from './connections/refresh.js';
export { ExpiringNotices, type ExpiringNoticesOptions } from './connections/expiring.js';
export { reauthBy, type LifecycleSettings } from './connections/lifecycle.js';
export { Journal, type JournalOptions } from './journal/journal.js';
export { SESSION_AUDIENCE } from './session/mint.js';
export { MigrationError } from './store/migrations.js';
export { openStore, type StoreOptions } from './store/open.js';
export { LOG_BATCH_LIMITS, type LogBatchLimits } from './store/log-batch.js';
export type { AttemptRecord } from './store/attempts.js';
export type { EndUser, Organization } from './store/columns.js';
export type { ConnectionRecord, ConnectionStatus, ProviderAccount } from './store/connections.js';
export type { SessionRecord } from './store/sessions.js';
export type { Durability } from './store/durability.js';
export type { Store, Transaction } from './store/store.js';
export type { WebhookEventType } from '@pingone-connect/protocol';
export {
  retryDelayMs,
  WebhookDispatcher,
  type DispatchReport,
  type WebhookDispatcherOptions,
} from './webhooks/dispatcher.js';
export type { WebhookPayload } from './webhooks/payload.js';
