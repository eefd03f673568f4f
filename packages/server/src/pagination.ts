import type { Page } from '@pingone-connect/protocol';
import { invalidRequest } from './errors.js';
import { isId, type IdPrefix, type PrefixedId } from './ids.js';

/** Rows per page when the caller names no `limit`. */
export const DEFAULT_PAGE_SIZE = 20;

/** A cursor is opaque to clients: the base64url of the last id of the previous page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The id a cursor stands for.
 *
 * @throws ApiError `invalid_request` unless it is a cursor this API issued for `prefix` ids.
 */
export function decodeCursor<P extends IdPrefix>(prefix: P, cursor: string): PrefixedId<P> {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isId(prefix, id)) throw invalidRequest('cursor: not a cursor from this API');
  return id;
}

/** The page size of a validated `limit` query parameter. */
export function pageSize(limit: string | undefined): number {
  return limit === undefined ? DEFAULT_PAGE_SIZE : Number(limit);
}

/**
 * A page from rows fetched with one row more than `size`: the extra row says whether a next
 * page exists without a count query.
 */
export function toPage<Row extends { readonly id: string }, Item>(
  rows: readonly Row[],
  size: number,
  view: (row: Row) => Item,
): Page<Item> {
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    data: page.map(view),
    next_cursor: rows.length > size && last ? encodeCursor(last.id) : null,
  };
}
