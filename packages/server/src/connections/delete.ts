import type { Services } from '../context.js';
import { ApiError, toApiError } from '../errors.js';
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
  const { store, journal } = services;
  await withRefreshLease(services, connectionId, async (connection) => {
    const revocation = await readCredentials(services.cipher, connection).then(
      (credentials) => revokeGrant(services, connection.integrationId, credentials),
      toApiError,
    );
    await store.transaction(async (trx) => {
      const deleted = await trx.connections.delete(connection.id);
      if (!deleted) throw new ApiError('connection_not_found');
      if (revocation) {
        await journal.record(trx, {
          event: 'connection.revoke_failed',
          level: 'warn',
          subject: { connection: deleted },
          message: `Revoking the connection’s tokens at PingOne failed (${revocation.code}).`,
          failure: revocation,
        });
      }
      await journal.record(trx, {
        event: 'connection.deleted',
        level: revocation ? 'warn' : 'info',
        subject: { connection: deleted },
        message: revocation
          ? `Connection deleted; revoking its tokens at PingOne failed (${revocation.code}).`
          : 'Connection deleted and its tokens revoked at PingOne.',
        data: { revoked: revocation === null },
      });
    });
  });
}
