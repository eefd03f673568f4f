import { assertId } from './guards.js';
import type { OutgoingRequest, RequestBody, RequestOptions } from './transport.js';

/** The HTTP methods the proxy forwards. */
export type ProxyMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query parameter value; arrays repeat the key, `undefined` leaves it out. */
export type ParamValue =
  string | number | boolean | readonly (string | number | boolean)[] | undefined;

/** A call to the PingOne API through the server's proxy. */
export interface ProxyOptions extends RequestOptions {
  method: ProxyMethod;
  /**
   * The PingOne API path, e.g. `/v1/environments` (a query string may follow). Absolute URLs,
   * `//host`, backslashes and `.`/`..` segments are refused with a `TypeError`: the proxy
   * reaches only the integration's PingOne API.
   */
  endpoint: string;
  /** Whose PingOne tokens to call with. */
  connectionId: string;
  /** The integration id (`Provider-Config-Key`); needed only when the server has several. */
  integrationId?: string;
  /** Query parameters, added to any query string in `endpoint`. */
  params?: Record<string, ParamValue> | URLSearchParams;
  /**
   * The request body. Strings, bytes, `URLSearchParams`, `Blob` and `FormData` are sent as they
   * are; anything else is sent as JSON (with `content-type: application/json` unless `headers`
   * sets another, such as PingOne's `application/vnd.pingidentity.*+json` types).
   */
  data?: unknown;
  /** Headers for PingOne. `authorization`, `connection-id` and `provider-config-key` are the client's. */
  headers?: Record<string, string> | Headers;
}

/** The options of the `get`/`post`/`put`/`patch`/`delete` shorthands. */
export type ProxyShorthandOptions = Omit<ProxyOptions, 'method'>;

/** What PingOne answered (2xx), passed through the proxy untouched. */
export interface ProxyResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the content type says so, else text; `null` when the body is empty. */
  data: T;
}

const RESERVED_HEADERS = ['authorization', 'connection-id', 'provider-config-key'] as const;

/** `.` and `..` in any spelling the URL parser would resolve (`%2e`, `.%2E`…). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Turns proxy options into a request for the server, refusing with `TypeError` what would
 * silently change where the call goes: the URL parser resolves dot segments and backslashes, so
 * `../connections` would reach the server's own API instead of PingOne's.
 */
export function proxyRequest(options: ProxyOptions): OutgoingRequest {
  const {
    method,
    endpoint,
    connectionId,
    integrationId,
    params,
    data,
    headers,
    signal,
    timeoutMs,
  } = options;
  assertId('connectionId', connectionId);
  if (integrationId !== undefined) assertId('integrationId', integrationId);
  const [path, query] = splitEndpoint(endpoint);
  if (params) appendParams(query, params);

  const outgoing = new Headers(headers);
  for (const name of RESERVED_HEADERS) {
    if (outgoing.has(name)) {
      throw new TypeError(`headers must not set ${name}: the client sets it.`);
    }
  }
  outgoing.set('connection-id', connectionId);
  if (integrationId !== undefined) outgoing.set('provider-config-key', integrationId);

  let body: RequestBody | undefined;
  if (data !== undefined) {
    if (method === 'GET') {
      throw new TypeError('A GET request cannot have data: use params for the query.');
    }
    body = isRequestBody(data) ? data : JSON.stringify(data);
    if (body !== data && !outgoing.has('content-type')) {
      outgoing.set('content-type', 'application/json');
    }
  }
  return { method, path: `proxy/${path}`, query, headers: outgoing, body, signal, timeoutMs };
}

function splitEndpoint(endpoint: unknown): [string, URLSearchParams] {
  if (typeof endpoint !== 'string') throw new TypeError('endpoint must be a string.');
  const queryStart = endpoint.indexOf('?');
  const rawPath = queryStart === -1 ? endpoint : endpoint.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : endpoint.slice(queryStart + 1));
  if (rawPath.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(rawPath)) {
    throw new TypeError('endpoint must be a path on the PingOne API, not a URL.');
  }
  if (/[\\#\s\p{Cc}]/u.test(rawPath)) {
    throw new TypeError(
      'endpoint must not contain a backslash, "#", whitespace or control characters.',
    );
  }
  const path = rawPath.replace(/^\//, '');
  if (path === '')
    throw new TypeError('endpoint must name a PingOne API path, such as /v1/environments.');
  if (path.split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    throw new TypeError('endpoint must not contain "." or ".." segments.');
  }
  return [path, query];
}

function appendParams(
  query: URLSearchParams,
  params: Record<string, ParamValue> | URLSearchParams,
): void {
  const entries = params instanceof URLSearchParams ? params.entries() : Object.entries(params);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
}

function isRequestBody(data: unknown): data is RequestBody {
  return (
    typeof data === 'string' ||
    data instanceof Uint8Array ||
    data instanceof ArrayBuffer ||
    data instanceof URLSearchParams ||
    data instanceof Blob ||
    data instanceof FormData
  );
}
