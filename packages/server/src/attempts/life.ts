import { ApiError } from '../errors.js';
import type { AttemptRecord } from '../store/attempts.js';

/**
 * The calls to PingOne a callback makes after claiming an attempt — discovery, the token
 * request, the key set and userinfo — each bounded by the PingOne timeout, plus time to commit.
 */
const exchangeBudgetMs = (pingoneTimeoutMs: number) => 4 * pingoneTimeoutMs + 5_000;

/**
 * Why an attempt that is still open has outlived its life (DESIGN §6.9), or null while it may
 * still finish. A `pending` attempt ends with its state's life: nobody can come back with that
 * state any more. An `exchanging` one was claimed before that (the callback refuses an expired
 * state), so a live exchange ends within the exchange budget after it; one still open later was
 * cut off, by a crash, mid-exchange.
 */
export function overdue(
  attempt: AttemptRecord,
  now: number,
  pingoneTimeoutMs: number,
): ApiError | null {
  if (attempt.status === 'pending' && attempt.expiresAt <= now) {
    return new ApiError('state_mismatch', 'This sign-in has expired. Start again.');
  }
  if (
    attempt.status === 'exchanging' &&
    attempt.expiresAt + exchangeBudgetMs(pingoneTimeoutMs) <= now
  ) {
    return new ApiError(
      'provider_unavailable',
      'The sign-in was interrupted before it finished. Start again.',
    );
  }
  return null;
}
