import { errors, jwtVerify } from 'jose';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import type { SessionRecord } from '../store/store.js';
import { SESSION_AUDIENCE } from './mint.js';

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
 * server's `iss`, the session `aud`, `exp`, and a `jti` that exists, is not revoked and
 * (unless allowed) not yet consumed.
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
  let jti: string;
  let sub: string;
  try {
    const { payload } = await jwtVerify(token, config.sessionSigningKey, {
      algorithms: ['HS256'],
      issuer: config.publicUrl,
      audience: SESSION_AUDIENCE,
      requiredClaims: ['jti', 'sub', 'iat', 'exp'],
      currentDate: new Date(clock()),
      // No leeway: the expiry was chosen by this server's own clock.
      clockTolerance: 0,
    });
    jti = String(payload.jti);
    sub = String(payload.sub);
  } catch (cause) {
    if (cause instanceof errors.JWTExpired)
      throw new ApiError('session_expired', undefined, { cause });
    throw new ApiError('session_invalid', undefined, { cause });
  }

  const session = await store.findSession(jti);
  if (!session || session.revokedAt !== null || session.endUser.id !== sub) {
    throw new ApiError('session_invalid');
  }
  if (session.expiresAt <= clock()) throw new ApiError('session_expired');
  if (session.consumedAt !== null && !options.allowConsumed) throw new ApiError('session_used');
  return session;
}
