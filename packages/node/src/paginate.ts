import { PROXY_API_BASE_HEADER, isRecord } from '@pingone-connect/protocol';
import { PingOnePaginationError } from './errors.js';
import type { ProxyResponse, ProxyShorthandOptions } from './proxy-request.js';

/** The `_embedded` name of a PingOne collection, e.g. `users` for `GET …/users`. */
export type EmbeddedCollection =
  | 'environments'
  | 'users'
  | 'groups'
  | 'populations'
  | 'applications'
  | 'roleAssignments'
  | (string & {});

/** Options of {@link PingOneConnect.paginate}. */
export interface PaginateOptions extends Omit<
  ProxyShorthandOptions,
  'connectionId' | 'endpoint' | 'data'
> {
  /** Which `_embedded` list holds the items. */
  embedded: EmbeddedCollection;
  // `params` go on the first page only: each `next` link carries its own query (cursor, limit).
}

/** A `GET` through the proxy. */
type ProxyGet = (options: ProxyShorthandOptions) => Promise<ProxyResponse<unknown>>;

/**
 * The items of a PingOne collection, page after page along its HAL `_links.next.href`
 * (https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html).
 * A link is followed only when it is on the API base the proxy says it called (same origin,
 * path under `/v1/`); it is then asked for through the proxy again, never fetched directly.
 *
 * @throws PingOnePaginationError when a page cannot be followed; PingOne's and the server's
 *   errors as `get` throws them.
 */
export async function* collectionItems<T>(
  get: ProxyGet,
  connectionId: string,
  endpoint: string,
  options: PaginateOptions,
): AsyncGenerator<T, void, undefined> {
  const { embedded, params, ...request } = options;
  let page = await get({ ...request, params, connectionId, endpoint });
  for (;;) {
    yield* itemsOf<T>(page, embedded);
    const href = nextHref(page.data);
    if (href === undefined) return;
    page = await get({ ...request, connectionId, endpoint: nextEndpoint(page, href) });
  }
}

function itemsOf<T>(page: ProxyResponse<unknown>, embedded: string): T[] {
  const list =
    isRecord(page.data) && isRecord(page.data._embedded) && page.data._embedded[embedded];
  if (!Array.isArray(list)) {
    throw new PingOnePaginationError(
      'not_a_collection',
      page.status,
      `PingOne's answer has no _embedded.${embedded} list: is the endpoint a collection of ${embedded}?`,
    );
  }
  return list as T[];
}

function nextHref(data: unknown): string | undefined {
  if (!isRecord(data) || !isRecord(data._links) || !isRecord(data._links.next)) return undefined;
  const { href } = data._links.next;
  return typeof href === 'string' ? href : undefined;
}

/**
 * The proxy endpoint a `next` link names, when it is on the API base that answered this page.
 * Taking only its path would otherwise turn a link to anywhere into a call on this API.
 */
function nextEndpoint(page: ProxyResponse<unknown>, href: string): string {
  const base = parseUrl(page.headers.get(PROXY_API_BASE_HEADER) ?? '');
  if (!base) {
    throw new PingOnePaginationError(
      'no_api_base',
      page.status,
      `The server did not say which PingOne API it called (${PROXY_API_BASE_HEADER}), so the next link is not followed.`,
      href,
    );
  }
  const next = parseUrl(href, base);
  const prefix = `${base.pathname.replace(/\/+$/, '')}/v1/`;
  if (
    !next ||
    next.origin !== base.origin ||
    next.username !== '' ||
    next.password !== '' ||
    !next.pathname.startsWith(prefix)
  ) {
    throw new PingOnePaginationError(
      'next_off_api',
      page.status,
      `PingOne's next link is not on its API (${base.origin}${prefix}), so it is not followed.`,
      href,
    );
  }
  return next.pathname.slice(prefix.length - '/v1/'.length) + next.search;
}

function parseUrl(value: string, base?: URL): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}
