import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { recordOperation } from '../journal/operations.js';

/**
 * Revokes a session that has not made its connection yet, so its token stops working at once
 * (e.g. the end user signed out). Revoking twice is not an error.
 *
 * @throws ApiError `session_invalid` (404) for an unknown jti, `session_used` once it connected.
 */
export async function revokeSession(services: Services, jti: string): Promise<void> {
  const { store, clock } = services;
  const now = clock();
  const revoked = await store.transaction(async (trx) => {
    const session = await trx.sessions.find(jti);
    if (!session) throw new ApiError('session_invalid', 'No such session.', { status: 404 });
    if (session.revokedAt !== null) return false;
    if (!(await trx.sessions.revoke(jti, now))) throw new ApiError('session_used');
    await recordOperation(trx, now, {
      level: 'info',
      event: 'session.revoked',
      message: 'Connect session revoked.',
      integrationId: session.integrationId,
      endUserId: session.endUser.id,
      data: { jti },
    });
    return true;
  });
  if (revoked) services.logger.info('session.revoked', { jti });
}
