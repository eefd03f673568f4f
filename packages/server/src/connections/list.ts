import type { z } from 'zod';
import type { Services } from '../context.js';
import { invalidRequest } from '../errors.js';
import type { ConnectionSummary, listConnectionsQuery } from '../schemas.js';
import { connectionSummary } from './view.js';

const DEFAULT_LIMIT = 20;

/** A cursor is opaque to clients: the base64url of the last id of the previous page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^conn_[0-9a-z]+$/.test(id)) throw invalidRequest('cursor: not a cursor from this API');
  return id;
}

/** `GET /connections`: newest first, filtered, one page and the cursor of the next. */
export async function listConnections(
  services: Services,
  query: z.infer<typeof listConnectionsQuery>,
): Promise<{ data: ConnectionSummary[]; next_cursor: string | null }> {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  // One extra row says whether a next page exists without a count query.
  const rows = await services.store.listConnections({
    ...(query.integration_id === undefined ? {} : { integrationId: query.integration_id }),
    ...(query.end_user_id === undefined ? {} : { endUserId: query.end_user_id }),
    ...(query.organization_id === undefined ? {} : { organizationId: query.organization_id }),
    ...(query.cursor === undefined ? {} : { before: decodeCursor(query.cursor) }),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(connectionSummary),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
