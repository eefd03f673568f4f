/** The one parameter the server adds to a redirect-mode `return_to` (DESIGN §4.9). */
export const ATTEMPT_PARAM = 'pingone_connect_attempt';

/**
 * The origin of a redirect-mode `return_to`, or null when it has none a browser could be sent
 * back to: only absolute `http(s)` URLs without user info. The URL parser decides what the
 * origin is, so `https://app.example.com@evil.example` is `evil.example`'s and `//host`,
 * relative paths and `javascript:` have none.
 */
export function returnToOrigin(returnTo: string): string | null {
  let url: URL;
  try {
    url = new URL(returnTo);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.origin;
}

/**
 * Where a redirect-mode attempt sends the browser back: `returnTo` with only
 * `pingone_connect_attempt=<attemptId>` added — never a token, code, state or connection id.
 *
 * An existing `pingone_connect_attempt` is replaced (a page that was itself reached by a
 * redirect may come back with the old one). The other parameters stay byte for byte, in their
 * order: the host page's own query is not ours to re-encode. The fragment stays too: it never
 * reaches a server, and a `Location` with a fragment keeps it (RFC 9110 §10.2.2).
 */
export function returnUrlFor(returnTo: string, attemptId: string): string {
  const url = new URL(returnTo);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && paramName(pair) !== ATTEMPT_PARAM);
  kept.push(`${ATTEMPT_PARAM}=${encodeURIComponent(attemptId)}`);
  url.search = `?${kept.join('&')}`;
  return url.href;
}

/** A query pair's name as `URLSearchParams` reads it (`+` is a space, then percent-decoding). */
function paramName(pair: string): string {
  const name = (pair.split('=', 1)[0] ?? '').replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
