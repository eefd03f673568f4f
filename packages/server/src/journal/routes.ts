import { failure } from '../openapi-answers.js';
import { route } from '../routes.js';
import { listLogsQuery, logList } from '../schemas.js';
import { listLogs } from './list.js';

/** The operations log, for the integrator's backend. */
export const journalRoutes = [
  route({
    method: 'get',
    path: '/logs',
    summary: 'The operations log, newest first: flows, refreshes, proxied calls, webhooks.',
    security: 'secretKey',
    query: listLogsQuery,
    answers: {
      200: { description: 'One page of log entries.', schema: logList },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
    },
    handler:
      (services) =>
      async (c, { query }) =>
        c.json(await listLogs(services, query)),
  }),
];
