import type { Services } from '../context.js';
import { ApiError, toApiError } from '../errors.js';
import { outcomeUnknown } from '../pingone/errors.js';
import type { ConnectionRecord, ReauthReason } from '../store/connections.js';
import { readCredentials, type FreshCredentials, type StoredCredentials } from './credentials.js';
import { withRefreshLease } from './refresh-lease.js';
import { reauthBy, refusalReason } from './lifecycle.js';
import { isRevocable, revocationFields, revokeGrant } from './revoke-grant.js';

/** Tokens expiring within this window are refreshed before they are handed out. */
export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/**
 * After PingOne refused a refresh token, no new refresh is tried for this long (DESIGN §6.5):
 * the token is dead until the end user connects again, and asking on every read would only
 * hammer PingOne. Past it, one request may try again (and find out).
 */
export const REFRESH_COOL_DOWN_MS = 10 * 60 * 1000;

const expiresSoon = (connection: ConnectionRecord, now: number) =>
  connection.expiresAt !== null && connection.expiresAt - now <= REFRESH_WINDOW_MS;

/** @throws ApiError `refresh_failed` while the connection's refresh cool-down lasts. */
function refuseDuringCoolDown(connection: ConnectionRecord, now: number): void {
  if (connection.status === 'needs_reauth' && (connection.refreshRetryAt ?? 0) > now) {
    throw new ApiError(
      'refresh_failed',
      'PingOne refused this connection’s refresh token; the end user has to connect again.',
    );
  }
}

/**
 * The connection's decrypted credentials, refreshed first when they expire within 5 minutes,
 * when `force`, or when a refresh of them died mid-call; single flight per connection, across
 * requests and processes (DESIGN §6.1): requests in this process share one refresh, and the
 * database lease of {@link withRefreshLease} makes other processes wait for it and then read
 * its result.
 *
 * @throws ApiError `connection_not_found` | `refresh_failed` (PingOne refused: the connection
 *   is now `needs_reauth`; or inside the cool-down that follows) | `provider_unavailable`.
 */
export async function freshCredentials(
  services: Services,
  connectionId: string,
  options: {
    force?: boolean;
    /**
     * Only a connection of this integration is found (DESIGN §5.14): one of another is refused
     * before anything else, so a refused call never refreshes its tokens.
     */
    integrationId?: string;
  } = {},
): Promise<FreshCredentials> {
  const force = options.force ?? false;
  const seen = await services.store.connections.find(connectionId);
  if (
    !seen ||
    (options.integrationId !== undefined && seen.integrationId !== options.integrationId)
  ) {
    throw new ApiError('connection_not_found');
  }
  if (!needsRefresh(seen, services.clock(), force)) {
    return { connection: seen, credentials: await readCredentials(services.cipher, seen) };
  }
  refuseDuringCoolDown(seen, services.clock());
  return services.refreshes.run(connectionId, () =>
    withRefreshLease(services, connectionId, (current, owner) =>
      refreshHeld(services, { seen, current, owner, force }),
    ),
  );
}

/**
 * Whether to refresh before handing the credentials out. A refresh that died mid-call
 * (`refreshStartedAt` still set) is taken over at once, expiring or not: PingOne may have
 * rotated the stored refresh token, which then works only within its reuse grace period.
 */
function needsRefresh(connection: ConnectionRecord, now: number, force: boolean): boolean {
  return force || expiresSoon(connection, now) || connection.refreshStartedAt !== null;
}

/** A refresh by the holder of the lease. */
interface HeldRefresh {
  /** The connection as this request first read it. */
  readonly seen: ConnectionRecord;
  /** The connection as it was when the lease was taken. */
  readonly current: ConnectionRecord;
  readonly owner: string;
  readonly force: boolean;
}

async function refreshHeld(services: Services, held: HeldRefresh): Promise<FreshCredentials> {
  const { store, cipher, clock, journal } = services;
  const { seen, current, owner, force } = held;
  const now = clock();
  // Another request or process refreshed (or a reconnect landed) while this one waited: those
  // tokens are as fresh as a second refresh would make them, and a forced one would replay a
  // rotated token. Changed credentials that still need a refresh (re-encrypted under a new key
  // by `rotate-encryption-key`, or refreshed into tokens that expire as soon) are refreshed.
  const changed = current.credentials !== seen.credentials;
  if (!needsRefresh(current, now, force && !changed)) {
    return { connection: current, credentials: await readCredentials(cipher, current) };
  }
  refuseDuringCoolDown(current, now);
  // Its previous holder died after calling PingOne and before storing what came back.
  const interrupted = current.refreshStartedAt !== null;
  const credentials = await readCredentials(cipher, current);
  const resolved = await services.integrations.find(current.integrationId);
  if (!resolved) {
    throw new ApiError('refresh_failed', 'The connection’s integration no longer exists.');
  }
  const { provider, integration } = resolved;
  const { refresh_token: refreshToken } = credentials;
  if (!refreshToken) {
    return giveUp(
      services,
      held,
      new ApiError('refresh_failed', 'PingOne issued no refresh token.'),
      'invalid_grant',
    );
  }

  // Durable before PingOne rotates anything: a crash from here on is found by the next holder.
  if (
    !(await store.connections.markRefreshStarted(current.id, owner, current.credentials, clock()))
  ) {
    return superseded(services, current);
  }
  let refreshed: StoredCredentials;
  try {
    refreshed = await provider.refresh({ ...credentials, refresh_token: refreshToken });
  } catch (error) {
    const failure = toApiError(error);
    if (failure.oauthError?.error === 'invalid_grant') {
      const reason = refusalReason(integration, {
        signedOnAt: current.signedOnAt,
        reauthBy: current.reauthBy,
        now: clock(),
        interrupted,
        revocable: isRevocable(credentials.scope),
      });
      return giveUp(services, held, failure, reason);
    }
    // An answer says PingOne rotated nothing. A timeout may hide a rotation: then the mark
    // stays, and the next holder retries knowing that.
    if (!outcomeUnknown(failure))
      await store.connections.clearRefreshStarted(current.id, current.credentials);
    await store.transaction((trx) =>
      journal.record(trx, {
        event: 'connection.refresh_failed',
        level: 'warn',
        subject: { connection: current },
        message: `The refresh failed (${failure.code}); the connection is unchanged.`,
        failure,
        // Nothing changed for the integrator to act on: the next read tries again.
        webhook: false,
      }),
    );
    // Retried only for the mark, the stored access token is still good: hand it out.
    if (!force && !expiresSoon(current, now)) return { connection: current, credentials };
    throw failure;
  }

  const at = clock();
  const encrypted = await cipher.encrypt(JSON.stringify(refreshed));
  const connection = await store.transaction(async (trx) => {
    // The new access token and the rotated refresh token land together, or not at all, and
    // only over the credentials they were refreshed from (DESIGN §6.7).
    const stored = await trx.connections.saveRefreshed(current.id, current.credentials, {
      credentials: encrypted,
      expiresAt: refreshed.expires_at ?? null,
      // A new refresh token: its duration counts from now; the sign-on is the same.
      reauthBy:
        current.signedOnAt === null
          ? null
          : reauthBy(integration, { signedOnAt: current.signedOnAt, issuedAt: at }),
      now: at,
    });
    if (!stored) return undefined;
    await journal.record(trx, {
      event: 'connection.refreshed',
      level: 'info',
      subject: { connection: stored },
      message: interrupted
        ? 'Credentials refreshed, retrying a refresh that was interrupted.'
        : force
          ? 'Credentials refreshed on request.'
          : 'Credentials refreshed before expiry.',
      data: {
        forced: force,
        ...(interrupted ? { retried_interrupted: true } : {}),
        ...(refreshed.expires_at === undefined
          ? {}
          : { expires_at: new Date(refreshed.expires_at).toISOString() }),
      },
    });
    return stored;
  });
  if (!connection) return dropRefreshed(services, current, refreshed);
  return { connection, credentials: refreshed };
}

/**
 * The connection's credentials changed under a refresh in flight — a reconnect committed a new
 * grant. The new grant wins; the refreshed tokens of the old one are revoked (best effort)
 * rather than stored over it, and the connection is answered as it now is.
 */
async function dropRefreshed(
  services: Services,
  stale: ConnectionRecord,
  refreshed: StoredCredentials,
): Promise<FreshCredentials> {
  const revocation = await revokeGrant(services, stale.integrationId, refreshed);
  await services.store.transaction((trx) =>
    services.journal.record(trx, {
      event: 'connection.refresh_superseded',
      level: 'info',
      subject: { connection: stale },
      message: revocation.failure
        ? `A reconnect landed during the refresh; its result was dropped, and revoking it at PingOne failed (${revocation.failure.code}).`
        : 'A reconnect landed during the refresh; its result was dropped.',
      data: { ...revocationFields(revocation) },
    }),
  );
  return superseded(services, stale);
}

/**
 * The connection as it is now, when the credentials this request worked from were replaced
 * meanwhile (a reconnect); `refresh_failed` when they were not and the lease was lost instead.
 */
async function superseded(services: Services, stale: ConnectionRecord): Promise<FreshCredentials> {
  const now = await services.store.connections.find(stale.id);
  if (!now) throw new ApiError('connection_not_found');
  if (now.credentials === stale.credentials) throw lostLease(stale.id);
  return { connection: now, credentials: await readCredentials(services.cipher, now) };
}

/** Each reason as the operations log says it. */
const REFUSAL_WORDS: Readonly<Record<ReauthReason, string>> = {
  session_ended: 'the end user’s sign-on session ended',
  refresh_token_expired: 'the refresh token expired',
  invalid_grant: 'invalid_grant',
  refresh_interrupted: 'after a refresh was interrupted',
  revoked: 'the grant was revoked',
};

/**
 * PingOne refused the refresh token for good: the connection becomes `needs_reauth` with
 * `reason` and a cool-down, and `connection.refresh_failed` is queued when it was active until
 * now — all in one transaction, and only over the credentials refused (a reconnect that landed
 * meanwhile is answered instead). Otherwise rethrows `failure` for the caller.
 */
async function giveUp(
  services: Services,
  held: HeldRefresh,
  failure: ApiError,
  reason: ReauthReason,
): Promise<FreshCredentials> {
  const { store, clock, journal } = services;
  const { current } = held;
  const now = clock();
  const marked = await store.transaction(async (trx) => {
    const marked = await trx.connections.markNeedsReauth(current.id, current.credentials, {
      reason,
      now,
      retryAt: now + REFRESH_COOL_DOWN_MS,
    });
    if (!marked) return undefined;
    await journal.record(trx, {
      event: 'connection.refresh_failed',
      level: 'warn',
      subject: { connection: marked },
      message: `PingOne refused the refresh token (${REFUSAL_WORDS[reason]}); the end user has to connect again.`,
      failure,
      data: { status: 'needs_reauth', status_reason: reason },
      // Told once, when the connection stops working; a refusal after the cool-down is no news.
      webhook: current.status === 'active',
    });
    return marked;
  });
  if (!marked) return superseded(services, current);
  throw failure;
}

/** The lease ran out under a live refresh: only a stalled process or a clock jump does that. */
function lostLease(connectionId: string): ApiError {
  return new ApiError('refresh_failed', undefined, {
    cause: new Error(`refresh lease of ${connectionId} was lost before the result was stored`),
  });
}
