import type { Services } from '../context.js';
import { ApiError, invalidRequest } from '../errors.js';
import { newId } from '../ids.js';
import type { ExchangeResult } from '../pingone/provider-client.js';
import type { AttemptRecord } from '../store/attempts.js';
import type { SessionRecord } from '../store/sessions.js';
import type { Transaction } from '../store/store.js';
import { reauthBy } from './lifecycle.js';

/** Where a finished flow landed. */
export interface SavedConnection {
  readonly id: string;
  /** False when an existing connection for the same PingOne account was updated. */
  readonly created: boolean;
}

/**
 * Why a session can no longer finish a flow: it was revoked, or another of its attempts made a
 * connection already. Null while it can.
 */
export function sessionRefusal(session: SessionRecord | undefined): ApiError | null {
  if (!session || session.revokedAt !== null) return new ApiError('session_invalid');
  if (session.consumedAt !== null) return new ApiError('session_used');
  return null;
}

/** Consumes the session, or says why it could not be: revoked meanwhile, or another attempt won. */
async function consumeOrExplain(
  trx: Transaction,
  session: SessionRecord,
  now: number,
): Promise<void> {
  if (await trx.sessions.consume(session.jti, now)) return;
  throw sessionRefusal(await trx.sessions.find(session.jti)) ?? new ApiError('session_used');
}

/**
 * Stores the outcome of a successful exchange in one transaction: the connection (inserted,
 * or merged into the one for the same integration, end user and PingOne `sub`), the attempt
 * marked successful, the session consumed, the `connection.created` / `connection.updated`
 * webhook queued and the operations log. Nothing is written unless all of it is.
 *
 * @throws ApiError `session_used` / `session_invalid` when the session went away meanwhile,
 *   `invalid_request` when a reconnect signed in to a different PingOne account.
 */
export async function saveConnection(
  services: Services,
  attempt: AttemptRecord,
  session: SessionRecord,
  result: ExchangeResult,
): Promise<SavedConnection> {
  const { store, clock, cipher, journal } = services;
  const now = clock();
  const credentials = await cipher.encrypt(JSON.stringify(result.credentials));
  // Its settings as of now: how long the new tokens are expected to last (DESIGN §4.10).
  const { integration } = await services.integrations.get(attempt.integrationId);
  const lifetime = reauthBy(integration, { signedOnAt: result.signedOnAt, issuedAt: now });
  const saved = await store.transaction(async (trx) => {
    if (session.connectionId !== null) {
      const existing = await trx.connections.find(session.connectionId);
      if (!existing || existing.providerAccount.sub !== result.sub) {
        throw invalidRequest(
          'You signed in to a different PingOne account than the connection being renewed.',
        );
      }
    }
    // An integration made through the API may be going away: then no connection is left under it.
    if (
      !services.integrations.isConfigured(attempt.integrationId) &&
      !(await trx.integrations.holdExisting(attempt.integrationId))
    ) {
      throw new ApiError('integration_not_found');
    }
    await consumeOrExplain(trx, session, now);
    const { connection, created } = await trx.connections.upsert({
      id: newId('conn', now),
      integrationId: attempt.integrationId,
      endUser: session.endUser,
      organization: session.organization,
      providerAccount: { sub: result.sub, email: result.email, name: result.name },
      scopes: result.scopes,
      credentials,
      expiresAt: result.credentials.expires_at ?? null,
      signedOnAt: result.signedOnAt,
      reauthBy: lifetime,
      now,
    });
    if (!(await trx.attempts.complete(attempt.id, connection.id, now))) {
      // Rolls the connection back; the attempt keeps the outcome it already has.
      throw new ApiError('internal_error', undefined, {
        cause: new Error('attempt was no longer being exchanged'),
      });
    }
    const subject = { connection, attemptId: attempt.id };
    await journal.record(trx, {
      event: created ? 'connection.created' : 'connection.updated',
      level: 'info',
      subject,
      message: created ? 'Connection created.' : 'Connection updated with new credentials.',
      data: { scopes: result.scopes, reauth_by: new Date(lifetime).toISOString() },
    });
    await journal.record(trx, {
      event: 'attempt.succeeded',
      level: 'info',
      subject,
      message: 'Sign-in completed.',
    });
    return { id: connection.id, created };
  });
  return saved;
}
