import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamedBodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.js';

/**
 * Refuses a request body over `maxSize` bytes with `invalid_request`, deciding from the
 * headers whenever they tell: a GET or HEAD has no body, and a `Content-Length` without
 * `Transfer-Encoding` is the body's exact length (Node's parser holds the client to it). Only
 * a body of undeclared length (chunked, or a `Request` made in process) is counted as it is
 * read, by Hono's `bodyLimit`. Hono's middleware alone would read `c.req.raw.body` first on
 * every request, and on Node that builds a whole web `Request` and stream per request, GETs
 * included; the route's own `c.req.json()` reads the socket directly instead.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError('invalid_request', 'The request body is too large.');
  };
  const streamed = streamedBodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    // The fetch `Request` these come as cannot carry a body.
    if (method === 'GET' || method === 'HEAD') return next();
    const headers = c.req.raw.headers;
    const declared = headers.get('content-length');
    if (declared !== null && !headers.has('transfer-encoding')) {
      if (Number.parseInt(declared, 10) > maxSize) tooLarge();
      return next();
    }
    return streamed(c, next);
  };
}
