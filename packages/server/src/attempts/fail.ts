import type { Services } from '../context.js';
import { failureFields, toApiError, type ApiError } from '../errors.js';
import { recordOperation } from '../journal/operations.js';
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
  const { store, clock, logger } = services;
  const failure = toApiError(error);
  const now = clock();
  await store.transaction(async (trx) => {
    if (!(await trx.attempts.fail(attempt.id, failure.toResultError(), now))) return;
    await recordOperation(trx, now, {
      level: 'warn',
      event: 'attempt.failed',
      message: failure.message,
      integrationId: attempt.integrationId,
      attemptId: attempt.id,
      data: {
        error_code: failure.code,
        ...(failure.oauthError ? { oauth_error: failure.oauthError } : {}),
      },
    });
  });
  logger[failure.status >= 500 ? 'error' : 'warn']('attempt.failed', {
    attempt_id: attempt.id,
    ...failureFields(failure),
  });
  return failure;
}
