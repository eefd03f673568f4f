/**
 * Which headers cross the proxy (DESIGN §5.10). Hop-by-hop headers (RFC 9110 §7.6.1) describe
 * one connection and never the next; the rest are named for why they stop here.
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

const REQUEST_DROPPED = new Set([
  ...HOP_BY_HOP,
  // The caller's secret key and cookies are for this server; PingOne gets the connection's token.
  'authorization',
  'cookie',
  // This server's own routing.
  'connection-id',
  'provider-config-key',
  // Set by fetch for the request it makes: its host, length and the encodings it can decode.
  'host',
  'content-length',
  'accept-encoding',
  'expect',
  // Where the caller sits in its own network is none of PingOne's business.
  'forwarded',
  'via',
  'x-real-ip',
]);
const REQUEST_DROPPED_PREFIXES = ['proxy-', 'x-forwarded-'];

const RESPONSE_DROPPED = new Set([
  ...HOP_BY_HOP,
  'proxy-authenticate',
  // Cookies PingOne sets are for a browser; the caller is a backend that must not hold them.
  'set-cookie',
  'set-cookie2',
  // The body comes decoded (as fetch hands it over), so its encoding and length no longer describe it.
  'content-encoding',
  'content-length',
]);
/**
 * CORS answers (Access-Control-Allow-Origin, -Credentials, -Methods, -Headers, -Expose-Headers,
 * -Max-Age) stop here too: CORS is this server's to grant, only on browser-facing endpoints
 * (DESIGN §5.8), and PingOne's would open the proxy, a backend endpoint, to pages of any origin.
 */
const RESPONSE_DROPPED_PREFIXES = ['access-control-'];

/** The extra hop-by-hop headers a `Connection` header names. */
function namedInConnection(headers: Headers): Set<string> {
  return new Set(
    (headers.get('connection') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The caller's headers that go on to PingOne, with the connection's bearer token added. */
export function upstreamRequestHeaders(incoming: Headers, accessToken: string): Headers {
  const named = namedInConnection(incoming);
  const outgoing = new Headers();
  for (const [name, value] of incoming) {
    if (REQUEST_DROPPED.has(name) || named.has(name)) continue;
    if (REQUEST_DROPPED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    outgoing.append(name, value);
  }
  outgoing.set('authorization', `Bearer ${accessToken}`);
  return outgoing;
}

/** PingOne's response headers that go back to the caller. */
export function callerResponseHeaders(upstream: Headers): Headers {
  const named = namedInConnection(upstream);
  const outgoing = new Headers();
  for (const [name, value] of upstream) {
    if (RESPONSE_DROPPED.has(name) || named.has(name)) continue;
    if (RESPONSE_DROPPED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    outgoing.append(name, value);
  }
  return outgoing;
}
