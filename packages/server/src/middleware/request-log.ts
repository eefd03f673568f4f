import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logger/logger.js';
import type { RequestIdVariables } from './request-id.js';

/**
 * One `http.request` line per request: method, path (never the query string, which carries
 * the OAuth code and state on the callback), status, duration and the server's own request id.
 */
export function requestLog(logger: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('http.request', {
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
