import type { ApiErrorDetail } from './api-errors.js';

/**
 * PingOne's paging of collections, from "Paging and ordering collections":
 * https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html
 * "Page limits are requested using the limit query string. If the limit parameter value is
 * omitted, the operation returns the lesser of the service-defined maximum page size or the
 * number of items in the collection." "The response body includes a self link in the _links
 * object. If there are more pages available, the response includes a next link ... If there are
 * previous pages of results available, the response includes a prev link". "If there is more
 * than one page, the response returns a URL-safe cursor in the cursor query string parameter".
 * "count ... the number of items in the collection", "size ... the size of the page". And: "For
 * some requests, supported limits are not always honored. For example, the page size limit of
 * 200 for the /environments/{{envID}}/users endpoint result may be smaller."
 *
 * No page states the largest `limit` a collection takes; the emulator accepts 1 to 500 and
 * refuses anything else with `400 INVALID_DATA`, stricter than the 1000 it took before.
 */
export const MAX_LIMIT = 500;

export interface PageRequest {
  limit: number;
  offset: number;
}

export type PageRequestOrError = PageRequest | { error: ApiErrorDetail };

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return Number.isSafeInteger(o) && (o as number) >= 0 ? (o as number) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads `limit` and `cursor`; `defaultLimit` is the collection's page size when limit is omitted. */
export function pageRequest(
  query: { limit?: string | undefined; cursor?: string | undefined },
  defaultLimit: number,
): PageRequestOrError {
  let limit = defaultLimit;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!/^\d{1,4}$/.test(query.limit) || limit < 1 || limit > MAX_LIMIT) {
      return {
        error: {
          code: 'INVALID_VALUE',
          target: 'limit',
          message: `limit must be a whole number from 1 to ${MAX_LIMIT}`,
        },
      };
    }
  }
  let offset = 0;
  if (query.cursor !== undefined) {
    const decoded = decodeCursor(query.cursor);
    if (decoded === undefined) {
      return { error: { code: 'INVALID_VALUE', target: 'cursor', message: 'cursor is not valid' } };
    }
    offset = decoded;
  }
  return { limit, offset };
}

/**
 * One page of `items` in PingOne's HAL shape: `_links` (self, next, prev), `_embedded[name]`,
 * `count` and `size`. `pageSize` caps what one page holds whatever the limit asked for.
 */
export function page<T>(
  items: readonly T[],
  request: PageRequest,
  options: { name: string; href: string; pageSize?: number },
) {
  const size = Math.min(request.limit, options.pageSize ?? request.limit);
  const slice = items.slice(request.offset, request.offset + size);
  const link = (offset: number) => {
    const url = new URL(options.href);
    url.searchParams.set('limit', String(request.limit));
    if (offset > 0) url.searchParams.set('cursor', encodeCursor(offset));
    return { href: url.href };
  };
  const next = request.offset + slice.length;
  return {
    _links: {
      self: link(request.offset),
      ...(next < items.length && { next: link(next) }),
      ...(request.offset > 0 && { prev: link(Math.max(0, request.offset - size)) }),
    },
    _embedded: { [options.name]: slice },
    count: items.length,
    size: slice.length,
  };
}
