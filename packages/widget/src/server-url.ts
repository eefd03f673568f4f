/**
 * The `server` attribute as a URL. A missing or non-http(s) value is programmer misuse: a
 * `TypeError` that says what to set.
 */
export function parseServer(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Reported below, with the value.
  }
  if (url?.protocol === 'https:' || url?.protocol === 'http:') return url;
  throw new TypeError(
    value
      ? `<pingone-connect>: "server" must be an http(s) URL, not "${value}".`
      : '<pingone-connect>: set "server" to the URL of your pingone-connect server.',
  );
}

/** `path` below the server's base URL, which may itself have a path (a mounted server). */
export function serverEndpoint(server: URL, path: string): URL {
  return new URL(path, server.origin + server.pathname.replace(/\/?$/, '/'));
}
