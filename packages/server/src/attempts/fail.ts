import type { Services } from '../context.js';
import { toApiError, type ApiError } from '../errors.js';
import type { AttemptRecord } from '../store/attempts.js';

/** Options of {@link failAttempt}. */
export interface FailOptions {
  /**
   * The end user walked away: the attempt ran out of time without PingOne ever answering.
   * That is the server's view of a closed popup (the element alone knows of `popup_closed`),
   * so it is recorded without a `connect.failed` webhook (DESIGN §4.7).
   */
  readonly abandoned?: boolean;
}

/**
 * Ends an open attempt as an error, for polling to report, with its operations-log row and its
 * `connect.failed` webhook in the same transaction. Only the first outcome counts: an attempt
 * that already ended keeps its own.
 *
 * @returns the failure, as an {@link ApiError}, to render.
 */
export async function failAttempt(
  services: Services,
  attempt: AttemptRecord,
  error: unknown,
  options: FailOptions = {},
): Promise<ApiError> {
  const { store, clock, journal } = services;
  const failure = toApiError(error);
  const now = clock();
  await store.transaction(async (trx) => {
    if (!(await trx.attempts.fail(attempt.id, failure.toResultError(), now))) return;
    const level = failure.status >= 500 ? 'error' : 'warn';
    const session = await trx.sessions.find(attempt.sessionJti);
    if (!session) {
      // Purged with its session meanwhile: nobody left to tell but the log.
      await journal.record(trx, {
        event: 'attempt.failed',
        level,
        subject: { integrationId: attempt.integrationId, attemptId: attempt.id },
        message: failure.message,
        failure,
      });
      return;
    }
    await journal.record(trx, {
      event: 'connect.failed',
      level,
      subject: { session, attemptId: attempt.id },
      message: failure.message,
      failure,
      // `popup_closed` never reaches here: no server code is it (the type says so).
      webhook: options.abandoned !== true,
    });
  });
  return failure;
}
