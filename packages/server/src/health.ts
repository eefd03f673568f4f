import { ApiError } from './errors.js';
import { failure } from './openapi-answers.js';
import { route } from './routes.js';
import { health } from './schemas.js';

/** `GET /healthz`: liveness and store reachability, for load balancers. */
export const healthRoute = route({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and store reachability.',
  security: 'none',
  answers: {
    200: { description: 'Up.', schema: health },
    500: failure('internal_error: the store does not answer'),
  },
  handler:
    ({ store }) =>
    async (c) => {
      try {
        await store.ping();
      } catch (cause) {
        throw new ApiError('internal_error', 'The store does not answer.', { cause });
      }
      return c.json({ status: 'ok' as const });
    },
});
