import { invalidRequest } from '../errors.js';

/** A proxied request's target, split at the proxy prefix. */
export interface ProxyTarget {
  /** The PingOne API path after `/proxy/`, still percent-encoded exactly as the client sent it. */
  readonly path: string;
  /** The query string with its `?`, or empty. */
  readonly query: string;
}

// `%252e` is `.` encoded twice; three rounds see through anything a server on the way would decode.
const MAX_DECODE_ROUNDS = 3;
const SCHEME = /^[a-z][a-z\d+.-]*:/i;
const CONTROL = /[\x00-\x1f\x7f]/;

/** `value` percent-decoded until it stops changing; undefined when malformed or encoded too deep. */
function decodeFully(value: string): string | undefined {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return /%[\da-f]{2}/i.test(current) ? undefined : current;
}

/**
 * True for `.` and `..`, also with a `;`-parameter (`..;`, `.;x=1`): servlet containers
 * (Tomcat, Jetty) and Spring drop a segment's parameter before they resolve dot segments, so to
 * an upstream like those `..;/` climbs a level while every URL parser on the way here sees a
 * plain name.
 */
function isDotSegment(segment: string): boolean {
  const name = segment.split(';', 1)[0];
  return name === '.' || name === '..';
}

/**
 * What makes `path` unfit to append to the PingOne API base, or undefined when nothing does.
 * Checked on the fully decoded form, since PingOne or anything before it may decode again
 * what this server passes on encoded.
 */
function refusal(path: string): string | undefined {
  const decoded = decodeFully(path);
  if (decoded === undefined) return 'malformed or repeatedly encoded percent-escapes';
  if (CONTROL.test(decoded)) return 'control characters';
  if (decoded.includes('\\')) return 'a backslash';
  if (decoded.startsWith('/')) return 'a leading "//" (a URL of another host)';
  if (SCHEME.test(decoded)) return 'an absolute URL';
  if (decoded.includes('@')) return 'an "@"';
  if (decoded.split('/').some(isDotSegment)) return '"." or ".." segments';
  return undefined;
}

/**
 * Splits the request target (as the client sent it, before any URL normalization) at the
 * proxy's route prefix and checks the PingOne API path (DESIGN §5.10): absolute URLs, `//host`,
 * `.`/`..` segments raw or percent-encoded (in any case, encoded twice too, with or without a
 * `;`-parameter), backslashes, `@` and control characters are refused.
 *
 * @param rawTarget the origin-form request target, e.g. `/proxy/v1/environments?limit=10`.
 * @param prefix the route's path up to the wildcard, e.g. `/proxy/`.
 * @throws ApiError `invalid_request` naming the rule that refused it (never the value).
 */
export function proxyTarget(rawTarget: string, prefix: string): ProxyTarget {
  const queryStart = rawTarget.indexOf('?');
  const rawPath = queryStart === -1 ? rawTarget : rawTarget.slice(0, queryStart);
  const query =
    queryStart === -1 || queryStart === rawTarget.length - 1 ? '' : rawTarget.slice(queryStart);
  // Anything else reached the route only through normalization: an absolute-form target, or
  // dot segments or escapes before the wildcard.
  if (!rawPath.startsWith(prefix)) {
    throw invalidRequest(`The request target must be the plain path ${prefix}<PingOne API path>.`);
  }
  const path = rawPath.slice(prefix.length);
  if (path === '') {
    throw invalidRequest(`The proxy needs a PingOne API path, such as ${prefix}v1/environments.`);
  }
  const reason = refusal(path);
  if (reason) throw invalidRequest(`The proxy path must not contain ${reason}.`);
  if (CONTROL.test(query))
    throw invalidRequest('The query string must not contain control characters.');
  return { path, query };
}

/**
 * The PingOne URL for a checked target: the integration's API base, the path, the query.
 *
 * @throws ApiError `invalid_request` if the result would leave the base (it cannot once
 *   {@link proxyTarget} accepted the path; this is the second lock on the same door).
 */
export function upstreamUrl(apiBaseUrl: string, target: ProxyTarget): URL {
  const base = new URL(apiBaseUrl);
  const url = new URL(`${apiBaseUrl}/${target.path}${target.query}`);
  const basePath = base.pathname.replace(/\/$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`)) {
    throw invalidRequest('The proxy path must stay on the PingOne API.');
  }
  return url;
}
