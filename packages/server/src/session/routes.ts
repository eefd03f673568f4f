import { failure } from '../openapi-answers.js';
import { route } from '../routes.js';
import { createSessionBody, createSessionResponse, sessionParams } from '../schemas.js';
import { mintSession } from './mint.js';
import { revokeSession } from './revoke.js';

/** Connect sessions, minted and revoked by the integrator's backend. */
export const sessionRoutes = [
  route({
    method: 'post',
    path: '/connect/sessions',
    summary: 'Mint a connect session token for the element.',
    security: 'secretKey',
    body: { schema: createSessionBody },
    answers: {
      201: { description: 'The session token.', schema: createSessionResponse },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
      403: failure('forbidden_origin: an origin (or link.return_url) outside ALLOWED_ORIGINS'),
      404: failure(
        'connection_not_found: the reconnect connection; integration_not_found: integration_id',
      ),
    },
    handler:
      (services) =>
      async (c, { body }) => {
        const session = await mintSession(services, body);
        const expiresAt = new Date(session.expiresAt).toISOString();
        return c.json(
          {
            token: session.token,
            expires_at: expiresAt,
            jti: session.jti,
            ...(session.connectLink ? { connect_link: session.connectLink } : {}),
          },
          201,
        );
      },
  }),
  route({
    method: 'delete',
    path: '/connect/sessions/:jti',
    summary: 'Revoke a session that has not connected yet, and its connect link.',
    security: 'secretKey',
    params: sessionParams,
    answers: {
      204: { description: 'Revoked (or already revoked).' },
      400: failure('invalid_request: no such session'),
      401: failure('unauthorized'),
      409: failure('session_used: it already made its connection'),
    },
    handler:
      (services) =>
      async (c, { params }) => {
        await revokeSession(services, params.jti);
        return c.body(null, 204);
      },
  }),
];
