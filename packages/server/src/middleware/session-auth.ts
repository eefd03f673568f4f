import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from '../context.js';
import { ApiError } from '../errors.js';
import { verifySession, type VerifyOptions } from '../session/verify.js';
import { bearerToken } from './bearer.js';

/**
 * Requires `Authorization: Bearer <connect session token>` (DESIGN §5.1) and sets
 * `c.var.session` to its verified row.
 *
 * @throws ApiError `session_invalid` without a token, else what {@link verifySession} throws.
 */
export function sessionAuth(
  services: Services,
  options: VerifyOptions = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === undefined) {
      throw new ApiError('session_invalid', 'A connect session token is required.');
    }
    c.set('session', await verifySession(services, token, options));
    await next();
  };
}
