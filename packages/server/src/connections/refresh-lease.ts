import type { Services } from '../context.js';
import { randomToken } from '../crypto/random.js';
import { ApiError } from '../errors.js';
import type { ConnectionRecord } from '../store/connections.js';

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * How long a lease lasts: a refresh and a revocation each run under one PingOne timeout
 * (`ProviderClient`), plus a margin to store the result; so a live holder never loses it, and
 * a holder that crashed blocks its connection no longer than that.
 */
export function leaseDurationMs(pingoneTimeoutMs: number): number {
  return pingoneTimeoutMs + 2_000;
}

/**
 * The longest a request waits for another holder's lease: below the Node client's 30-second
 * timeout, so a read answers (`provider_unavailable`, retryable) before its caller gives up,
 * whatever `PINGONE_TIMEOUT_MS` is (DESIGN §6.8).
 */
export const MAX_LEASE_WAIT_MS = 25_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while holding the connection's refresh lease (DESIGN §6.1), passing it the
 * connection as the lease found it, and the lease's owner token for fenced writes.
 * The lease is given back afterwards unless `work` already did.
 *
 * Why a lease rather than a lock held in a transaction: a refresh waits on PingOne for up to
 * the timeout, and holding a transaction that long would block every other write to SQLite
 * (one writer per file, across processes) and pin a PostgreSQL connection. The lease is one
 * conditional update (`refresh_lock_id` is free or expired), atomic on both engines, so exactly
 * one caller in any process wins; the others wait for it to be released, then read what the
 * winner wrote. The lease only keeps refreshes from overlapping; what keeps a late write from
 * overwriting newer credentials is the fence on the credentials themselves (DESIGN §6.7).
 *
 * @throws ApiError `connection_not_found`; `provider_unavailable` when another holder keeps
 *   the lease longer than a lease lasts.
 */
export async function withRefreshLease<T>(
  services: Services,
  connectionId: string,
  work: (connection: ConnectionRecord, owner: string) => Promise<T>,
): Promise<T> {
  const { store, clock, config } = services;
  const owner = randomToken(16);
  const duration = leaseDurationMs(config.pingoneTimeoutMs);
  let waited = 0;
  let poll = FIRST_POLL_MS;
  let connection: ConnectionRecord | undefined;
  for (;;) {
    const now = clock();
    connection = await store.connections.takeRefreshLease(connectionId, owner, now, now + duration);
    if (connection) break;
    if (!(await store.connections.find(connectionId))) throw new ApiError('connection_not_found');
    // A live holder finishes within a lease; past that, the conditional update takes it over.
    if (waited > Math.min(duration + MAX_POLL_MS, MAX_LEASE_WAIT_MS)) {
      throw new ApiError(
        'provider_unavailable',
        'Another refresh of this connection is taking too long.',
      );
    }
    await pause(poll);
    waited += poll;
    poll = Math.min(poll * 2, MAX_POLL_MS);
  }
  try {
    return await work(connection, owner);
  } finally {
    await store.connections.releaseRefreshLease(connectionId, owner);
  }
}
