import {
  isRecord,
  type ErrorCode,
  type IntegrationInvalidDetails,
  type OAuthError,
} from '@pingone-connect/protocol';

/**
 * Why a call got no HTTP answer at all: the server could not be reached (`network_error`) or
 * did not answer within the client's timeout (`timeout`). These are the client's own codes,
 * outside the protocol's closed list, because no server ever sends them.
 */
export type TransportErrorCode = 'network_error' | 'timeout';

/** Options shared by the error constructors. */
interface ErrorOptions {
  cause?: unknown;
}

/**
 * Every failure of a client call is a `PingOneConnectError`, so one `instanceof` check catches
 * them all. Thrown as is when the pingone-connect server answers with an error: `code` is the
 * server's code (DESIGN §4.3) and `status` its HTTP status.
 *
 * Two subclasses narrow it: {@link PingOneApiError} when PingOne itself answered an error through
 * the proxy (`upstream: true`), and {@link PingOneConnectTransportError} when no answer arrived
 * (`status: 0`).
 */
export class PingOneConnectError extends Error {
  /** The server's error code, or the client's own {@link TransportErrorCode}. */
  readonly code: ErrorCode | TransportErrorCode;
  /** The HTTP status of the answer; `0` when there was none. */
  readonly status: number;
  /** True when the error comes from PingOne (through the proxy), not from the server. */
  readonly upstream: boolean = false;
  /** PingOne's raw OAuth error, when the server reports one (`provider_error`). */
  readonly oauthError: OAuthError | undefined;
  /** On `integration_invalid`: every check of the preflight that failed, to show the admin. */
  readonly details: IntegrationInvalidDetails | undefined;

  constructor(
    code: ErrorCode | TransportErrorCode,
    status: number,
    message: string,
    options: ErrorOptions & {
      oauthError?: OAuthError | undefined;
      details?: IntegrationInvalidDetails | undefined;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.oauthError = options.oauthError;
    this.details = options.details;
  }
}

/**
 * PingOne answered a proxied call with a non-2xx status. Its answer is passed through untouched:
 * `status`, `headers` and `data` (parsed like a successful proxy response) are PingOne's.
 * `code` summarises it: `rate_limited` for 429, `provider_unavailable` for 5xx and
 * `provider_error` otherwise, redirects (3xx) included: the client follows none, so the
 * `Location` PingOne gave is in `headers`.
 */
export class PingOneApiError extends PingOneConnectError {
  declare readonly code: 'provider_error' | 'provider_unavailable' | 'rate_limited';
  override readonly upstream = true;
  /** PingOne's response headers (hop-by-hop headers and `set-cookie` already dropped by the server). */
  readonly headers: Headers;
  /** PingOne's response body: parsed JSON when its content type says so, else text, `null` when empty. */
  readonly data: unknown;

  constructor(status: number, headers: Headers, data: unknown) {
    super(upstreamCode(status), status, upstreamMessage(status, data));
    this.headers = headers;
    this.data = data;
  }
}

/** PingOne's own explanation when it gave one (`message` of the Management API, OAuth's `error_description`). */
function upstreamMessage(status: number, data: unknown): string {
  const body = isRecord(data) ? data : {};
  const reason = [body.message, body.error_description, body.error].find(
    (value) => typeof value === 'string',
  );
  if (reason === undefined && status >= 300 && status < 400) {
    return `PingOne answered ${status}, a redirect, which is not followed: see headers.get('location').`;
  }
  return reason === undefined
    ? `PingOne answered ${status}.`
    : `PingOne answered ${status}: ${String(reason).slice(0, 300)}`;
}

function upstreamCode(status: number): PingOneApiError['code'] {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'provider_unavailable';
  return 'provider_error';
}

/**
 * No answer arrived: the server was unreachable (`network_error`, the underlying `fetch` error
 * is the `cause`) or slower than the timeout (`timeout`). A timed-out call that changes
 * something (minting a session, deleting a connection, a proxied write) may still have taken
 * effect on the server.
 */
export class PingOneConnectTransportError extends PingOneConnectError {
  declare readonly code: TransportErrorCode;
  declare readonly status: 0;

  constructor(code: TransportErrorCode, message: string, options: ErrorOptions = {}) {
    super(code, 0, message, options);
  }
}

/**
 * Why {@link PingOnePaginationError} stopped a `paginate()`: `next_off_api`, the `next` link
 * is not on the connection's PingOne API (another origin, or outside `/v1/`);
 * `not_a_collection`, the page has no `_embedded` list of the name asked for; `no_api_base`,
 * the server did not say which API base it called, so no link can be checked.
 */
export type PaginationErrorReason = 'next_off_api' | 'not_a_collection' | 'no_api_base';

/**
 * `paginate()` refused to go on: the page PingOne answered cannot be followed safely. Nothing
 * is fetched after it; the items of the pages before it have been yielded.
 */
export class PingOnePaginationError extends PingOneConnectError {
  declare readonly code: 'provider_error';
  readonly reason: PaginationErrorReason;
  /** The `next` link that was refused, for `next_off_api` and `no_api_base`. */
  readonly href: string | undefined;

  constructor(reason: PaginationErrorReason, status: number, message: string, href?: string) {
    super('provider_error', status, message);
    this.reason = reason;
    this.href = href;
  }
}
