import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import type { AttemptStatus } from '../schemas.js';
import { verifySession } from '../session/verify.js';

/**
 * How an attempt stands, for the element when the popup closed without a message (e.g. its
 * opener link was cut). Only the session that started the attempt may read it, still after
 * the session was consumed, until it expires; from a browser, only from one of its origins.
 *
 * @param origin The request's `Origin` header, when a browser sent one.
 * @throws ApiError `session_*` (401), `forbidden_origin`, or 404 for anyone else's attempt.
 */
export async function readAttemptStatus(
  services: Services,
  token: string | undefined,
  attemptId: string,
  origin: string | undefined,
): Promise<AttemptStatus> {
  if (token === undefined)
    throw new ApiError('session_invalid', 'A connect session token is required.');
  const session = await verifySession(services, token, { allowConsumed: true });
  if (origin !== undefined && !session.allowedOrigins.includes(origin)) {
    throw new ApiError('forbidden_origin');
  }
  const attempt = await services.store.findAttempt(attemptId);
  if (!attempt || attempt.sessionJti !== session.jti) {
    throw new ApiError('invalid_request', 'No such attempt for this session.', { status: 404 });
  }
  switch (attempt.status) {
    case 'success':
      return {
        status: 'success',
        connection_id: attempt.connectionId,
        end_user_id: session.endUser.id,
        scopes: [...attempt.scopes],
      };
    case 'error':
      return { status: 'error', error: attempt.error };
    default:
      // Abandoned in the popup: say so once its state can no longer be used.
      if (attempt.status === 'pending' && attempt.expiresAt <= services.clock()) {
        const expired = new ApiError('state_mismatch', 'This sign-in has expired. Start again.');
        return { status: 'error', error: expired.toResultError() };
      }
      return { status: 'pending' };
  }
}
