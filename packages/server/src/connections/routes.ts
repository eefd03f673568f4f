import { failure } from '../openapi-answers.js';
import { route } from '../routes.js';
import {
  connectionDetail,
  connectionList,
  deletedConnection,
  connectionParams,
  listConnectionsQuery,
  readConnectionQuery,
} from '../schemas.js';
import { deleteConnection } from './delete.js';
import { listConnections } from './list.js';
import { readConnection } from './read.js';

/** Stored connections, for the integrator's backend. */
export const connectionRoutes = [
  route({
    method: 'get',
    path: '/connections',
    summary: 'List connections, newest first.',
    security: 'secretKey',
    query: listConnectionsQuery,
    answers: {
      200: { description: 'One page of connections.', schema: connectionList },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
    },
    handler:
      (services) =>
      async (c, { query }) =>
        c.json(await listConnections(services, query)),
  }),
  route({
    method: 'get',
    path: '/connections/:id',
    summary:
      'A connection with its decrypted credentials, refreshed first when they expire within 5 minutes.',
    security: 'secretKey',
    params: connectionParams,
    query: readConnectionQuery,
    answers: {
      200: { description: 'The connection.', schema: connectionDetail },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
      404: failure('connection_not_found'),
      502: failure(
        'refresh_failed: PingOne refused the refresh token (the connection is now needs_reauth)',
      ),
      503: failure('provider_unavailable: PingOne did not answer the refresh in time'),
    },
    handler:
      (services) =>
      async (c, { params, query }) =>
        c.json(await readConnection(services, params.id, query.refresh === 'force')),
  }),
  route({
    method: 'delete',
    path: '/connections/:id',
    summary:
      'Revoke at PingOne what it lets us revoke, delete the connection, and say which tokens were revoked and which PingOne does not let us revoke.',
    security: 'secretKey',
    params: connectionParams,
    answers: {
      200: {
        description:
          'Deleted. A token in neither list: revoking it failed (logged as connection.revoke_failed).',
        schema: deletedConnection,
      },
      401: failure('unauthorized'),
      404: failure('connection_not_found'),
    },
    handler:
      (services) =>
      async (c, { params }) =>
        c.json(await deleteConnection(services, params.id)),
  }),
];
