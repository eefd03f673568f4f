// The page side of redirect mode (DESIGN §4.9): the server sends the browser back to
// `return_to` with the attempt id in one query parameter, and one element on that page takes
// the attempt up. Which one: the element that left records its server and integration in
// `sessionStorage` (same tab, same origin); on the way back only an element with the same
// server and integration takes the attempt. Without a record (storage blocked, or the page left
// from another tab or origin) the first element that looks, connected and with a session token
// or `tokenProvider`, takes it. Taking it removes the parameter, so no other element sees it.

/** The query parameter the server adds to `return_to`. */
const PARAM = 'pingone_connect_attempt';
const RECORD_KEY = 'pingone-connect:redirect';

/** What the element that leaves records, and the element that takes the attempt up compares. */
const recordOf = (id: string, server: URL, integration: string): string =>
  `${id} ${server.href} ${integration}`;

/** The query without `PARAM`, other parameters byte for byte; `''` when none is left. */
function searchWithout(search: string): string {
  const kept = search
    .slice(1)
    .split('&')
    .filter((pair) => pair && pair.split('=')[0] !== PARAM);
  return kept.length ? `?${kept.join('&')}` : '';
}

/** The current URL without `PARAM`: where the server sends the browser back to. */
export function returnUrl(): string {
  const { origin, pathname, search, hash } = location;
  return origin + pathname + searchWithout(search) + hash;
}

/** Records, before the page leaves, which element's attempt `id` is. */
export function recordDeparture(id: string, server: URL, integration: string): void {
  try {
    sessionStorage.setItem(RECORD_KEY, recordOf(id, server, integration));
  } catch {
    // Storage blocked: the first element that looks on the way back takes the attempt.
  }
}

/**
 * Takes the attempt that came back to this page, if there is one and it is this element's:
 * removes the parameter with `history.replaceState` (other parameters and the hash stay) and
 * the record.
 *
 * @returns the attempt id, or nothing
 */
export function claimReturned(server: URL, integration: string): string | undefined {
  const id = new URLSearchParams(location.search).get(PARAM);
  // Only the shape of the ids the element makes (22 base64url characters): the id goes into
  // the poll's path, and a crafted link must not point the session token at another path.
  if (!id || !/^[\w-]{22}$/.test(id)) return undefined;
  let record: string | null = null;
  try {
    record = sessionStorage.getItem(RECORD_KEY);
  } catch {
    // No storage, no record.
  }
  if (record?.startsWith(`${id} `) && record !== recordOf(id, server, integration)) {
    return undefined;
  }
  try {
    sessionStorage.removeItem(RECORD_KEY);
  } catch {
    // Nothing was recorded.
  }
  history.replaceState(history.state, '', returnUrl());
  return id;
}
