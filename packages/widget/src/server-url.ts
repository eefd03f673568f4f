/**
 * The `server` attribute as the base URL of the server's endpoints (`new URL('oauth/connect',
 * server)`): its path ends in `/`, so that a server mounted under a path keeps it. A missing or
 * non-http(s) value is programmer misuse: a `TypeError` that says what to set.
 */
export function parseServer(value: string): URL {
  try {
    const url = new URL(value);
    if (/^https?:$/.test(url.protocol)) {
      url.pathname = url.pathname.replace(/\/?$/, '/');
      return url;
    }
  } catch {
    // Reported below, with the value.
  }
  throw new TypeError(
    value
      ? `<pingone-connect>: "server" must be an http(s) URL, not "${value}".`
      : '<pingone-connect>: set "server" to the URL of your pingone-connect server.',
  );
}
