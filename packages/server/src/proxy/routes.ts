import { failure } from '../openapi-answers.js';
import { route, type Method } from '../routes.js';
import { proxyHeaders, proxyParams } from '../schemas.js';
import { PROXY_METHODS, proxyHandler } from './forward.js';

/** The PingOne API proxy (§5.10), one route per method it forwards. */
export const proxyRoutes = PROXY_METHODS.map((method) =>
  route({
    method: method.toLowerCase() as Method,
    path: '/proxy/*',
    summary:
      'Call the PingOne API with the connection’s access token (refreshed when needed, and once more after a 401; GET, HEAD, PUT and DELETE again after a 429, within PROXY_RETRIES and PROXY_RETRY_MAX_WAIT_MS).',
    security: 'secretKey',
    params: proxyParams,
    headers: proxyHeaders,
    ...(method === 'GET' ? {} : { body: { passthrough: true } }),
    readsOwnInput: true,
    answers: {
      200: {
        description:
          'PingOne’s answer, passed through with its status (errors and the last 429 with Retry-After included), headers and body, plus PingOne-Connect-Api-Base naming the API base that answered.',
      },
      400: failure(
        'invalid_request: a bad path, missing Connection-Id or unknown Provider-Config-Key',
      ),
      401: failure('unauthorized: the secret key (PingOne’s own 401 passes through as it is)'),
      404: failure('connection_not_found'),
      502: failure('refresh_failed'),
      503: failure('provider_unavailable: PingOne unreachable or not answering in time'),
    },
    handler: proxyHandler,
  }),
);
