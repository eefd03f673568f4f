/**
 * `@pingone-connect/widget`: the `<pingone-connect>` element. This entry only exports; import
 * `@pingone-connect/widget/define` to register the tag.
 *
 * @packageDocumentation
 */
export { PingOneConnect, type ConnectState, type TokenProvider } from './pingone-connect.js';
export { ConnectError } from './connect-error.js';
export type { ConnectResult } from './connect-result.js';
export {
  PingOneConnectStartEvent,
  PingOneConnectSuccessEvent,
  PingOneConnectErrorEvent,
  PingOneConnectCloseEvent,
  type AttemptDetail,
} from './events.js';
export type { ErrorCode, OAuthError, ResultError } from '@pingone-connect/protocol';
