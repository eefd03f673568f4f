import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { sha256 } from '../crypto/random.js';
import { ApiError } from '../errors.js';
import { bearerToken } from './bearer.js';

/**
 * Requires `Authorization: Bearer <secret key>` with one of `keys` (several during a rotation).
 *
 * Both sides are hashed first so that the comparison is over equal lengths and says nothing
 * about the key's length, and every key is compared so that which one matched takes no
 * longer than none. A missing, unknown or wrong key gets the same answer.
 *
 * @param message What a refused caller is told; default: that a secret key is required.
 * @throws TypeError when `keys` is empty.
 */
export function secretKeyAuth(keys: readonly string[], message?: string): MiddlewareHandler {
  if (keys.length === 0) throw new TypeError('secretKeyAuth needs at least one key');
  const digests = keys.map((key) => sha256(key));
  return async (c, next) => {
    const presented = sha256(bearerToken(c.req.header('authorization')) ?? '');
    let matched = false;
    for (const digest of digests) matched = timingSafeEqual(digest, presented) || matched;
    if (!matched) {
      throw new ApiError('unauthorized', message, {
        headers: { 'WWW-Authenticate': 'Bearer realm="pingone-connect"' },
      });
    }
    await next();
  };
}
