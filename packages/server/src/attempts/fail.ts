import type { Services } from '../context.js';
import { toApiError, type ApiError } from '../errors.js';
import type { AttemptRecord } from '../store/attempts.js';

/**
 * Ends an open attempt as an error, for polling to report, with its operations-log row in the
 * same transaction. Only the first outcome counts: an attempt that already ended keeps its own.
 *
 * @returns the failure, as an {@link ApiError}, to render.
 */
export async function failAttempt(
  services: Services,
  attempt: AttemptRecord,
  error: unknown,
): Promise<ApiError> {
  const { store, clock, journal } = services;
  const failure = toApiError(error);
  const now = clock();
  await store.transaction(async (trx) => {
    if (!(await trx.attempts.fail(attempt.id, failure.toResultError(), now))) return;
    await journal.record(trx, {
      event: 'attempt.failed',
      level: failure.status >= 500 ? 'error' : 'warn',
      subject: { integrationId: attempt.integrationId, attemptId: attempt.id },
      message: failure.message,
      failure,
    });
  });
  return failure;
}
