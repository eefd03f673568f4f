import { failure } from '../openapi-answers.js';
import { route } from '../routes.js';
import { attemptParams, attemptStatus } from '../schemas.js';
import { readAttemptStatus } from './status.js';

/** Attempt polling, for the element when the popup closed silently (CORS, §5.8). */
export const attemptRoutes = [
  route({
    method: 'get',
    path: '/connect/attempts/:attempt_id',
    summary: 'How an attempt ended, for the element when the popup closed silently.',
    security: 'sessionToken',
    params: attemptParams,
    answers: {
      200: { description: 'The attempt’s status.', schema: attemptStatus },
      400: failure('invalid_request: no such attempt for this session'),
      401: failure('session_invalid or session_expired'),
      403: failure('forbidden_origin'),
      429: failure('rate_limited'),
    },
    handler:
      (services) =>
      async (c, { params }) =>
        c.json(
          await readAttemptStatus(
            services,
            c.var.session,
            params.attempt_id,
            c.req.header('origin'),
          ),
        ),
  }),
];
