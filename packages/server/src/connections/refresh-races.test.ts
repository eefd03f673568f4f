import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendGet, connectFlow, startHarness, type Harness } from '../../test/support.js';
import { MAX_LEASE_WAIT_MS, leaseDurationMs } from './refresh-lease.js';
import {
  WEBHOOK_ENV,
  loggedEvents,
  outbox,
  readConnection,
  revokeAtPingOne,
  type ConnectionBody,
} from '../../test/connections.js';

const NARROW = ['openid', 'profile', 'email'];
const WIDE = [...NARROW, 'p1:read:user'];

/**
 * Holds the server's next refresh-token request to PingOne until the test releases it: before
 * it reaches PingOne, or after PingOne answered (so the rotation has happened). Every other
 * request, and the held one once released, goes to the real emulator.
 */
class RefreshGate {
  #armed: { when: 'before' | 'after'; arrived: () => void; released: Promise<void> } | null = null;
  #release: () => void = () => {};

  readonly fetch: typeof fetch = async (input, init) => {
    const armed = this.#armed;
    if (!armed || !String(init?.body ?? '').includes('grant_type=refresh_token')) {
      return fetch(input, init);
    }
    this.#armed = null;
    if (armed.when === 'before') {
      armed.arrived();
      await armed.released;
      return fetch(input, init);
    }
    const response = await fetch(input, init);
    armed.arrived();
    await armed.released;
    return response;
  };

  /** Arms the gate; resolves once the next refresh request is held. */
  hold(when: 'before' | 'after'): Promise<void> {
    return new Promise<void>((arrived) => {
      const released = new Promise<void>((resolve) => (this.#release = resolve));
      this.#armed = { when, arrived, released };
    });
  }

  release(): void {
    this.#release();
  }
}

let harness: Harness;
let gate: RefreshGate;
beforeEach(async () => {
  gate = new RefreshGate();
  harness = await startHarness({ env: WEBHOOK_ENV, app: { fetch: gate.fetch } });
});
afterEach(() => harness.close());

/** Connects end user `user-1` with `scopes`; a second call is a reconnect of the same account. */
async function connectWith(scopes: string[], connectionId?: string): Promise<string> {
  const flow = await connectFlow(harness, {
    session: { scopes, ...(connectionId ? { connection_id: connectionId } : {}) },
  });
  if (!flow.posted.message?.ok) throw new Error('the connect flow failed');
  return flow.posted.message.connection_id;
}

const forceRefresh = (id: string) => backendGet(harness, `/connections/${id}?refresh=force`);

describe('§6.7 a write of refreshed credentials is fenced on the credentials it refreshed, so a reconnect that committed meanwhile wins', () => {
  it('drops a refresh that PingOne answered while a reconnect with more scopes committed', async () => {
    const id = await connectWith(NARROW);
    const held = gate.hold('after');
    const refreshing = forceRefresh(id);
    await held; // PingOne has rotated the old grant's refresh token

    expect(await connectWith(WIDE, id)).toBe(id);
    gate.release();
    const answer = (await (await refreshing).json()) as ConnectionBody;

    const stored = await readConnection(harness, id);
    expect(stored.scopes).toEqual(WIDE);
    expect(stored.credentials.scope.split(' ')).toContain('p1:read:user');
    expect(answer.credentials).toEqual(stored.credentials);
    expect(stored.status).toBe('active');
    expect(loggedEvents(harness, id)).toContain('connection.refresh_superseded');
  });

  it('does not mark a reconnected connection needs_reauth when the racing refresh of the old grant is refused', async () => {
    const id = await connectWith(NARROW);
    const old = (await readConnection(harness, id)).credentials.refresh_token ?? '';
    const held = gate.hold('before');
    const refreshing = forceRefresh(id);
    await held;

    expect(await connectWith(WIDE, id)).toBe(id);
    await revokeAtPingOne(harness, old); // the old grant ends: PingOne will say invalid_grant
    gate.release();
    const answer = await refreshing;
    expect(answer.status).toBe(200);

    const stored = await readConnection(harness, id);
    expect(stored).toMatchObject({ status: 'active', status_reason: null, scopes: WIDE });
    expect(outbox(harness).map((row) => row.event_type)).not.toContain('connection.refresh_failed');
  });
});

describe('§6.8 a dead holder’s lease blocks no read longer than the Node client’s timeout', () => {
  /** `@pingone-connect/node`'s default `timeoutMs`. */
  const NODE_CLIENT_TIMEOUT_MS = 30_000;

  it('takes over the lease of a holder that died once the lease has run out', async () => {
    const id = await connectWith(NARROW);
    const lease = leaseDurationMs(harness.config.pingoneTimeoutMs);
    const now = harness.clock.now();
    expect(
      await harness.store.connections.takeRefreshLease(id, 'a-holder-that-died', now, now + lease),
    ).toBeDefined();
    harness.clock.advance(lease);
    harness.emulator.resetCounters();
    const read = await forceRefresh(id);
    expect(read.status).toBe(200);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
  });

  it('lets a lease last less than the Node client’s timeout, and no request wait longer', () => {
    expect(leaseDurationMs(harness.config.pingoneTimeoutMs)).toBeLessThan(NODE_CLIENT_TIMEOUT_MS);
    expect(MAX_LEASE_WAIT_MS).toBeLessThan(NODE_CLIENT_TIMEOUT_MS);
  });
});
