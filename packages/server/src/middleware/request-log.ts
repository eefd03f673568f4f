import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logger/logger.js';
import type { RequestIdVariables } from './request-id.js';

/**
 * A connect link's path carries its secret (`/connect/links/<id>.<secret>`): the line keeps
 * the id, which finds the link in the store, and drops the secret (DESIGN §5.13).
 */
export function loggedPath(path: string): string {
  // Most paths are no link's: they skip the expression (which matches under a mount prefix too).
  if (!path.includes('/connect/links/')) return path;
  return path.replace(/(\/connect\/links\/[^/.]*)\.[^/]*/, '$1.…');
}

/**
 * One `http.request` line per request: method, path (never the query string, which carries
 * the OAuth code and state on the callback, nor a connect link's secret), status, duration and
 * the server's own request id.
 */
export function requestLog(logger: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('http.request', {
      // `c.get`, not `c.var`, which copies every variable into a new object.
      request_id: c.get('requestId'),
      method: c.req.method,
      path: loggedPath(c.req.path),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
