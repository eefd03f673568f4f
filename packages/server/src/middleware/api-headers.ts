import type { MiddlewareHandler } from 'hono';

/**
 * Headers of every JSON answer: nothing is cached (credentials and per-user state), sniffed or
 * framed. Set before the handler runs so that popup pages can replace them with their own.
 */
export function apiHeaders(): MiddlewareHandler {
  // Not `async`: passing `next()`'s promise on spares every request one more promise.
  return (c, next) => {
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    return next();
  };
}
