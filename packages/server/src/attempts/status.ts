import type { AttemptStatus } from '@pingone-connect/protocol';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import type { AttemptRecord } from '../store/attempts.js';
import type { SessionRecord } from '../store/sessions.js';
import { failAttempt } from './fail.js';
import { overdue } from './life.js';

/**
 * How an attempt stands, for the element when the popup closed without a message (e.g. its
 * opener link was cut). An attempt still open past its life ends as an error here (DESIGN
 * §6.9), so the element never waits for one that cannot finish. Only the session that started
 * the attempt may read it (see {@link mayRead} for redirect mode), still after the session was
 * consumed, until it expires; from a browser, only from one of its origins.
 *
 * @param session The verified session of the request (`sessionAuth`, consumed ones allowed).
 * @param origin The request's `Origin` header, when a browser sent one.
 * @throws ApiError `forbidden_origin`, or `invalid_request` for anyone else's attempt.
 */
export async function readAttemptStatus(
  services: Services,
  session: SessionRecord,
  attemptId: string,
  origin: string | undefined,
): Promise<AttemptStatus> {
  if (origin !== undefined && !session.allowedOrigins.includes(origin)) {
    throw new ApiError('forbidden_origin');
  }
  const attempt = await services.store.attempts.find(attemptId);
  if (!attempt || !(await mayRead(services, attempt, session))) {
    throw new ApiError('invalid_request', 'No such attempt for this session.');
  }
  const expired = overdue(attempt, services.clock(), services.config.pingoneTimeoutMs);
  if (expired) {
    // Recorded, so the attempt reads the same from now on and the log says how it ended.
    // Still `pending`: PingOne never sent the browser back, the end user left.
    await failAttempt(services, attempt, expired, { abandoned: attempt.status === 'pending' });
    const settled = await services.store.attempts.find(attemptId);
    if (settled?.status === 'error') return { status: 'error', error: settled.error };
    if (settled?.status === 'success') return succeeded(settled, session.endUser.id);
  }
  switch (attempt.status) {
    case 'success':
      return succeeded(attempt, session.endUser.id);
    case 'error':
      return { status: 'error', error: attempt.error };
    default:
      return { status: 'pending' };
  }
}

/**
 * Whether `session` may read `attempt`: the session that started it may. After a redirect
 * (DESIGN §4.9) the page the browser came back to may hold a new session instead, minted by
 * the element's `tokenProvider`; a redirect attempt is therefore also readable by a session of
 * the same end user and integration, which the same backend could have minted for the first.
 * Popup and link attempts stay with their own session.
 */
async function mayRead(
  services: Services,
  attempt: AttemptRecord,
  session: SessionRecord,
): Promise<boolean> {
  if (attempt.sessionJti === session.jti) return true;
  if (attempt.delivery.mode !== 'redirect') return false;
  const started = await services.store.sessions.find(attempt.sessionJti);
  return (
    started !== undefined &&
    started.integrationId === session.integrationId &&
    started.endUser.id === session.endUser.id
  );
}

function succeeded(
  attempt: AttemptRecord & { status: 'success' },
  endUserId: string,
): AttemptStatus {
  return {
    status: 'success',
    connection_id: attempt.connectionId,
    end_user_id: endUserId,
    scopes: [...attempt.scopes],
  };
}
