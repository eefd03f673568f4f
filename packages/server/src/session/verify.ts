import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import type { SessionRecord } from '../store/sessions.js';
import { SESSION_AUDIENCE } from './mint.js';
import { sessionSigningKey } from './signing-key.js';

const MAX_TOKEN_LENGTH = 4096;

/** Options of {@link verifySession}. */
export interface VerifyOptions {
  /**
   * Accept a session that already made its connection. Only attempt polling does: the page
   * that started an attempt may still read how it ended until the session expires.
   */
  allowConsumed?: boolean;
}

/**
 * Verifies a connect session token (DESIGN §5.1) and returns its row: HS256 only, the
 * server's `iss`, the session `aud` (a string, not an array), `exp`, a string `sub` that is the
 * session's end user, and a string `jti` that exists, is not revoked and (unless allowed) not
 * yet consumed.
 *
 * @throws ApiError `session_expired`, `session_used` or `session_invalid`.
 */
export async function verifySession(
  services: Services,
  token: string,
  options: VerifyOptions = {},
): Promise<SessionRecord> {
  const { config, store, clock } = services;
  if (token.length > MAX_TOKEN_LENGTH) throw new ApiError('session_invalid');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await sessionSigningKey(config.sessionSigningKey), {
      algorithms: ['HS256'],
      issuer: config.publicUrl,
      audience: SESSION_AUDIENCE,
      requiredClaims: ['jti', 'sub', 'iat', 'exp'],
      currentDate: new Date(clock()),
      // No leeway: the expiry was chosen by this server's own clock.
      clockTolerance: 0,
    }));
  } catch (cause) {
    if (cause instanceof errors.JWTExpired)
      throw new ApiError('session_expired', undefined, { cause });
    throw new ApiError('session_invalid', undefined, { cause });
  }
  // jose lets an `aud` array through when one entry matches, and takes any JSON as `jti` and
  // `sub`. This server mints one string of each, so anything else is not its token; and
  // `String()` would even turn `["<jti>"]` into a real jti.
  const { aud, jti, sub } = payload;
  if (typeof aud !== 'string' || typeof jti !== 'string' || typeof sub !== 'string') {
    throw new ApiError('session_invalid');
  }

  const session = await store.sessions.find(jti);
  if (!session || session.revokedAt !== null || session.endUser.id !== sub) {
    throw new ApiError('session_invalid');
  }
  if (session.expiresAt <= clock()) throw new ApiError('session_expired');
  if (session.consumedAt !== null && !options.allowConsumed) throw new ApiError('session_used');
  return session;
}
