import { PingOneConnectTransportError } from './errors.js';

/** Per-call options accepted by every method of the client. */
export interface RequestOptions {
  /** Aborts the call; it then rejects with the signal's reason, as `fetch` does. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
}

/** How to reach the server, already checked. */
export interface TransportOptions {
  /** The server's base URL, ending in `/`, so that relative paths resolve under it. */
  baseUrl: URL;
  secretKey: string;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
}

/** A request body `fetch` accepts (the DOM's `BodyInit`, which Node's types do not name). */
export type RequestBody = NonNullable<RequestInit['body']>;

/** One call to the server, its path relative to the base URL. */
export interface OutgoingRequest extends RequestOptions {
  method: string;
  path: string;
  query?: URLSearchParams | undefined;
  headers?: Headers | undefined;
  body?: RequestBody | undefined;
}

/** An answer read in full, body still as text. */
export interface IncomingResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Longest delay `setTimeout` honours; a longer one would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Throws `TypeError` unless `value` is usable as a timeout. */
export function assertTimeout(name: string, value: unknown): asserts value is number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value <= 0 ||
    value > MAX_TIMEOUT_MS
  ) {
    throw new TypeError(`${name} must be a positive whole number of milliseconds.`);
  }
}

/**
 * Sends one request with the secret key and reads the whole answer. The timeout covers the body
 * too, so a server that sends headers and then stalls cannot hang the caller. A redirect is
 * answered as it came, never followed (DESIGN §5.15).
 */
export async function send(
  options: TransportOptions,
  request: OutgoingRequest,
): Promise<IncomingResponse> {
  const timeoutMs = request.timeoutMs ?? options.timeoutMs;
  assertTimeout('timeoutMs', timeoutMs);
  const url = new URL(request.path, options.baseUrl);
  if (request.query) url.search = request.query.toString();
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${options.secretKey}`);

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = request.signal
    ? AbortSignal.any([request.signal, timeout.signal])
    : timeout.signal;
  try {
    const response = await options.fetch(url, {
      method: request.method,
      headers,
      body: request.body,
      // Following would send the secret key again to wherever `Location` points: a relative
      // one from PingOne, passed back by the proxy, lands on this server's own API (a 307
      // replaying the method and body there), an absolute one anywhere at all.
      redirect: 'manual',
      signal,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    // The caller's own abort is theirs to handle, exactly as with fetch.
    if (request.signal?.aborted) throw request.signal.reason;
    if (timeout.signal.aborted) {
      throw new PingOneConnectTransportError(
        'timeout',
        `${request.method} ${url.pathname} timed out after ${timeoutMs} ms.`,
      );
    }
    const message = `${request.method} ${url.pathname} failed: the server could not be reached.`;
    throw new PingOneConnectTransportError('network_error', message, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
