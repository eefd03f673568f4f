import type { DeletedConnection } from '@pingone-connect/protocol';
import type { Services } from '../context.js';
import { ApiError, toApiError } from '../errors.js';
import { readCredentials } from './credentials.js';
import { withRefreshLease } from './refresh-lease.js';
import { revocationFields, revokeGrant, type Revocation } from './revoke-grant.js';

/** The log line of a deletion: what happened at PingOne, and nothing it did not do. */
function deletedMessage(revocation: Revocation): string {
  const said = [
    revocation.revoked.length > 0 ? `revoked at PingOne: ${revocation.revoked.join(', ')}` : '',
    revocation.notRevocable.length > 0
      ? `PingOne does not let us revoke: ${revocation.notRevocable.join(', ')} (valid until they expire or the sign-on session ends)`
      : '',
    revocation.failure ? `revoking at PingOne failed (${revocation.failure.code})` : '',
  ].filter(Boolean);
  return `Connection deleted; ${said.join('; ')}.`;
}

/**
 * `DELETE /connections/:id` (DESIGN §4.10): revokes at PingOne what it lets us revoke (see
 * {@link revokeGrant}), then deletes the connection and queues `connection.deleted` in one
 * transaction, and answers which tokens were revoked and which PingOne does not let us revoke
 * — the log row and the webhook say the same. It holds the refresh lease throughout, so no
 * refresh can rotate the refresh token between reading and revoking it. A revocation that
 * fails is logged and does not keep the connection: the integrator asked for it to be gone.
 *
 * @throws ApiError `connection_not_found`.
 */
export async function deleteConnection(
  services: Services,
  connectionId: string,
): Promise<DeletedConnection> {
  const { store, journal } = services;
  return withRefreshLease(services, connectionId, async (connection) => {
    const revocation: Revocation = await readCredentials(services.cipher, connection).then(
      (credentials) => revokeGrant(services, connection.integrationId, credentials),
      (error: unknown) => ({ revoked: [], notRevocable: [], failure: toApiError(error) }),
    );
    const { failure } = revocation;
    await store.transaction(async (trx) => {
      const deleted = await trx.connections.delete(connection.id);
      if (!deleted) throw new ApiError('connection_not_found');
      if (failure) {
        await journal.record(trx, {
          event: 'connection.revoke_failed',
          level: 'warn',
          subject: { connection: deleted },
          message: `Revoking the connection’s tokens at PingOne failed (${failure.code}).`,
          failure,
        });
      }
      await journal.record(trx, {
        event: 'connection.deleted',
        level: failure ? 'warn' : 'info',
        subject: { connection: deleted },
        message: deletedMessage(revocation),
        revocation: revocationFields(revocation),
      });
    });
    return {
      deleted: true,
      revoked: [...revocation.revoked],
      not_revocable: [...revocation.notRevocable],
    };
  });
}
