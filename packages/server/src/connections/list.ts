import type { z } from 'zod';
import type { Services } from '../context.js';
import type { ConnectionSummary, Page } from '@pingone-connect/protocol';
import { decodeCursor, pageSize, toPage } from '../pagination.js';
import type { listConnectionsQuery } from '../schemas.js';
import type { ConnectionQuery } from '../store/connections.js';
import { connectionSummary } from './view.js';

/** Filters the dashboard adds to those of the API (DESIGN §4.11). */
export type ConnectionSearch = Pick<ConnectionQuery, 'endUser' | 'status'>;

/** `GET /connections`: newest first, filtered, one page and the cursor of the next. */
export async function listConnections(
  services: Services,
  query: z.infer<typeof listConnectionsQuery>,
  search: ConnectionSearch = {},
): Promise<Page<ConnectionSummary>> {
  const size = pageSize(query.limit);
  const rows = await services.store.connections.list({
    ...search,
    ...(query.integration_id === undefined ? {} : { integrationId: query.integration_id }),
    ...(query.end_user_id === undefined ? {} : { endUserId: query.end_user_id }),
    ...(query.organization_id === undefined ? {} : { organizationId: query.organization_id }),
    ...(query.cursor === undefined ? {} : { before: decodeCursor('conn', query.cursor) }),
    limit: size + 1,
  });
  return toPage(rows, size, connectionSummary);
}
