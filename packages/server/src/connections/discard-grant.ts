import type { Services } from '../context.js';
import { toApiError } from '../errors.js';
import type { ExchangeResult } from '../pingone/provider-client.js';
import type { AttemptRecord } from '../store/attempts.js';
import { revokeGrant } from './revoke-grant.js';

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
  await store.transaction((trx) =>
    journal.record(trx, {
      event: 'grant.discarded',
      level: 'warn',
      subject: { integrationId: attempt.integrationId, attemptId: attempt.id },
      message: revocation
        ? `The sign-in was refused (${refusal.code}); revoking its tokens at PingOne failed (${revocation.code}).`
        : `The sign-in was refused (${refusal.code}); its tokens were revoked at PingOne.`,
      failure: refusal,
      data: { revoked: revocation === null },
    }),
  );
}
