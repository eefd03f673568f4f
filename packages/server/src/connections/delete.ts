import type { Services } from '../context.js';
import { ApiError, failureFields, toApiError } from '../errors.js';
import { recordOperation } from '../journal/operations.js';
import type { ConnectionRecord } from '../store/connections.js';
import { queueWebhook } from '../webhooks/outbox.js';
import { readCredentials } from './credentials.js';
import { withRefreshLease } from './refresh-lease.js';
import { revokeGrant } from './revoke-grant.js';

/**
 * `DELETE /connections/:id`: revokes the tokens at PingOne (`/as/revoke`), then deletes the
 * connection and queues `connection.deleted` in one transaction. It holds the refresh lease
 * throughout, so no refresh can rotate the refresh token between reading and revoking it. A
 * revocation that fails is logged and does not keep the connection: the integrator asked for
 * it to be gone, and its credentials can no longer be read from here either way.
 *
 * @throws ApiError `connection_not_found`.
 */
export async function deleteConnection(services: Services, connectionId: string): Promise<void> {
  const { store, config, clock, logger } = services;
  await withRefreshLease(services, connectionId, async (connection) => {
    const revocation = await readCredentials(services.cipher, connection).then(
      (credentials) => revokeGrant(services, connection.integrationId, credentials),
      toApiError,
    );
    if (revocation) {
      logger.warn('connection.revoke_failed', {
        connection_id: connection.id,
        ...failureFields(revocation),
      });
    }
    const now = clock();
    await store.transaction(async (trx) => {
      if (!(await trx.connections.delete(connection.id)))
        throw new ApiError('connection_not_found');
      await queueWebhook(trx, config, 'connection.deleted', connection, now);
      await recordOperation(trx, now, {
        integrationId: connection.integrationId,
        endUserId: connection.endUser.id,
        connectionId: connection.id,
        level: revocation ? 'warn' : 'info',
        event: 'connection.deleted',
        message: revocation
          ? `Connection deleted; revoking its tokens at PingOne failed (${revocation.code}).`
          : 'Connection deleted and its tokens revoked at PingOne.',
        data: { revoked: revocation === null },
      });
    });
    logger.info('connection.deleted', { connection_id: connection.id, revoked: !revocation });
  });
  services.webhookQueued();
}
