import type { ResultError } from '@pingone-connect/protocol';
import type { ConnectResult } from './connect-result.js';

/** `detail` of `pingone-connect-start` and `pingone-connect-close`. */
export interface AttemptDetail {
  /** The random id the element gave this trip through the popup. */
  attempt_id: string;
  /** The element's `integration`. */
  integration: string;
}

const init = <T>(detail: T): CustomEventInit<T> => ({ detail, bubbles: true, composed: true });

/** The popup opened and the flow started. */
export class PingOneConnectStartEvent extends CustomEvent<AttemptDetail> {
  constructor(detail: AttemptDetail) {
    super('pingone-connect-start', init(detail));
  }
}

/** The end user connected their PingOne account; `detail` names the new connection. */
export class PingOneConnectSuccessEvent extends CustomEvent<ConnectResult> {
  constructor(detail: ConnectResult) {
    super('pingone-connect-success', init(detail));
  }
}

/** The flow failed; `detail.code` is one of `@pingone-connect/protocol`'s `ERROR_CODES`. */
export class PingOneConnectErrorEvent extends CustomEvent<ResultError> {
  constructor(detail: ResultError) {
    super('pingone-connect-error', init(detail));
  }
}

/**
 * The popup closed before the flow finished (or `cancel()` closed it). A result that arrives
 * later is still delivered as `pingone-connect-success` or `pingone-connect-error`.
 */
export class PingOneConnectCloseEvent extends CustomEvent<AttemptDetail> {
  constructor(detail: AttemptDetail) {
    super('pingone-connect-close', init(detail));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pingone-connect-start': PingOneConnectStartEvent;
    'pingone-connect-success': PingOneConnectSuccessEvent;
    'pingone-connect-error': PingOneConnectErrorEvent;
    'pingone-connect-close': PingOneConnectCloseEvent;
  }
}
