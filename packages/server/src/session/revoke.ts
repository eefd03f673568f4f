import type { Services } from '../context.js';
import { ApiError } from '../errors.js';

/**
 * Revokes a session that has not made its connection yet, so its token and its connect link
 * stop working at once (e.g. the end user signed out). Revoking twice is not an error.
 *
 * @throws ApiError `invalid_request` for an unknown jti, `session_used` once it connected.
 */
export async function revokeSession(services: Services, jti: string): Promise<void> {
  const { store, clock, journal } = services;
  const now = clock();
  await store.transaction(async (trx) => {
    const session = await trx.sessions.find(jti);
    if (!session) throw new ApiError('invalid_request', 'No such session.');
    if (session.revokedAt !== null) return;
    if (!(await trx.sessions.revoke(jti, now))) throw new ApiError('session_used');
    // Its connect link goes with it (DESIGN §4.9).
    await trx.links.revokeForSession(jti, now);
    await journal.record(trx, {
      event: 'session.revoked',
      level: 'info',
      subject: { integrationId: session.integrationId, endUserId: session.endUser.id },
      message: 'Connect session revoked.',
      data: { jti },
    });
  });
}
