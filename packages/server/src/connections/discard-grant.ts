import type { Services } from '../context.js';
import { toApiError } from '../errors.js';
import type { ExchangeResult } from '../pingone/provider-client.js';
import type { AttemptRecord } from '../store/attempts.js';
import { revocationFields, revokeGrant } from './revoke-grant.js';

/**
 * Lets go of the tokens of an exchange whose result was refused (`why`), revoking them at
 * PingOne first so that no live grant is orphaned there. Best effort, and logged either way.
 */
export async function discardGrant(
  services: Services,
  attempt: AttemptRecord,
  result: ExchangeResult,
  why: unknown,
): Promise<void> {
  const { store, journal } = services;
  const refusal = toApiError(why);
  const revocation = await revokeGrant(services, attempt.integrationId, result.credentials);
  const outcome = revocation.failure
    ? `revoking its tokens at PingOne failed (${revocation.failure.code})`
    : revocation.revoked.length > 0
      ? 'its tokens were revoked at PingOne'
      : 'PingOne does not let us revoke its tokens, which stay valid until they expire';
  await store.transaction((trx) =>
    journal.record(trx, {
      event: 'grant.discarded',
      level: 'warn',
      subject: { integrationId: attempt.integrationId, attemptId: attempt.id },
      message: `The sign-in was refused (${refusal.code}); ${outcome}.`,
      failure: refusal,
      data: { ...revocationFields(revocation) },
    }),
  );
}
