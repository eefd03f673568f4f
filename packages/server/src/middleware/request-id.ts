import type { MiddlewareHandler } from 'hono';

/** Context variables set by {@link requestId}. */
export interface RequestIdVariables {
  /** This request's id, in its log lines and its `X-Request-Id` response header. */
  requestId: string;
}

/**
 * Gives every request an id of the server's own making, for its log lines and the
 * `X-Request-Id` response header. An `X-Request-Id` the client sends is ignored rather than
 * validated: the id is what joins a request's log lines, and a caller who could choose it
 * could make its lines pass for another request's, or give one id to many. Hono's
 * `requestId()` keeps any client value of up to 255 safe characters. A gateway in front that
 * wants to correlate logs its own id beside this response header.
 */
export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  // Not `async`: passing `next()`'s promise on spares every request one more promise.
  return (c, next) => {
    const id = crypto.randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    return next();
  };
}
