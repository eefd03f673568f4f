import { RequestError } from '@hono/node-server';
import { ApiError } from './errors.js';

/**
 * The answer of the Node adapter for a request it cannot turn into a `Request` before the app
 * sees it (a raw backslash in the path, an unusable `Host`): the API's error JSON with
 * `invalid_request`, where the adapter alone would send an empty 400. Anything else that
 * reaches it is `internal_error`.
 */
export function unreadableRequest(error: unknown): Response {
  const failure =
    error instanceof RequestError
      ? new ApiError('invalid_request', 'The request target or Host header is not valid.')
      : new ApiError('internal_error');
  const response = failure.getResponse();
  response.headers.set('Cache-Control', 'no-store');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  return response;
}
