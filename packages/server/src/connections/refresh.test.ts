import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createLogger } from '../logger/logger.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { ENGINES, type Engine } from '../../test/engines.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  SECRET_KEY,
  backendGet,
  connectFlow,
  startHarness,
  testKey,
  type Harness,
} from '../../test/support.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { startReceiver } from '../../test/receiver.js';
import { REFRESH_COOL_DOWN_MS, REFRESH_WINDOW_MS } from './refresh.js';
import {
  WEBHOOK_ENV,
  connect,
  deleteConnection,
  isActive,
  loggedEvents,
  outbox,
  readConnection,
  readOwnRecord,
  revokeAtPingOne,
  REVOCABLE_SCOPES_ENV,
} from '../../test/connections.js';

const HOUR = 60 * 60 * 1000;
/** The emulator's access tokens live an hour: this puts one 4 minutes from expiry. */
const NEARLY_EXPIRED = HOUR - 4 * 60 * 1000;

/** Resolves once the emulator has received a refresh grant: an explicit signal, no sleep. */
async function refreshArrived(harness: Harness): Promise<void> {
  while (harness.emulator.tokenRequests('refresh_token') === 0) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('§6.1 a refresh of one connection never runs twice at once, across requests and replicas', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('answers 200 concurrent reads of an expiring connection with exactly one refresh grant, and the connection keeps working', async () => {
    const id = await connect(harness);
    const before = await readConnection(harness, id);
    harness.clock.advance(NEARLY_EXPIRED);
    harness.emulator.resetCounters();

    const responses = await Promise.all(
      Array.from({ length: 200 }, () => backendGet(harness, `/connections/${id}`)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(200).fill(200));
    const bodies = await Promise.all(
      responses.map(
        async (response) => (await response.json()) as { credentials: { access_token: string } },
      ),
    );
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    const tokens = new Set(bodies.map((body) => body.credentials.access_token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(before.credentials.access_token)).toBe(false);

    // A second refresh from a stale refresh token would have made PingOne revoke the chain;
    // a forced refresh now succeeding, and its token working, proves none happened.
    const after = await readConnection(harness, id, true);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(2);
    expect(after.status).toBe('active');
    expect(await readOwnRecord(harness, after)).toBe(200);
    expect(
      loggedEvents(harness, id).filter((event) => event === 'connection.refreshed'),
    ).toHaveLength(2);
  });
});

describe.each(ENGINES)(
  '§6.1 a refresh never runs twice at once across replicas sharing a database (%s)',
  (engineName, start) => {
    let engine: Engine;
    let harness: Harness;
    let replica: { store: Store; app: ReturnType<typeof createApp> };
    beforeAll(async () => {
      engine = await start();
    });
    afterAll(() => engine?.stop());
    beforeEach(async () => {
      harness = await startHarness({ env: { DATABASE_URL: engine.url } });
      // A second server over the same database: its own store connection, its own single flight.
      const store = await openStore(engine.url);
      const app = createApp(harness.config, store, {
        logger: createLogger({ sink: () => {} }),
        clock: harness.clock.now,
      });
      replica = { store, app };
    });
    afterEach(async () => {
      await replica.store.close();
      await harness.close();
    });

    it(`makes exactly one refresh grant when two app instances race on ${engineName}`, async () => {
      const id = await connect(harness, `user-replicas-${engineName}`);
      const before = await readConnection(harness, id);
      harness.clock.advance(NEARLY_EXPIRED);
      harness.emulator.resetCounters();
      // Hold PingOne's answer so that the other replica's reads arrive while the refresh is in flight.
      harness.emulator.faults.tokenDelayMs = 500;

      const first = Array.from({ length: 20 }, () => backendGet(harness, `/connections/${id}`));
      await refreshArrived(harness);
      const second = Array.from({ length: 20 }, () =>
        replica.app.request(harness.url(`/connections/${id}`), {
          headers: { authorization: `Bearer ${harness.config.secretKeys[0]}` },
        }),
      );
      const responses = await Promise.all([...first, ...second]);
      harness.emulator.faults.tokenDelayMs = 0;

      expect(responses.map((response) => response.status)).toEqual(Array(40).fill(200));
      expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
      const tokens = new Set(
        await Promise.all(
          responses.map(async (response) => {
            const body = (await response.json()) as { credentials: { access_token: string } };
            return body.credentials.access_token;
          }),
        ),
      );
      expect(tokens.size).toBe(1);
      expect(tokens.has(before.credentials.access_token)).toBe(false);
      // The chain is intact: the other replica can refresh again.
      const forced = await replica.app.request(harness.url(`/connections/${id}?refresh=force`), {
        headers: { authorization: `Bearer ${harness.config.secretKeys[0]}` },
      });
      expect(forced.status).toBe(200);
      expect(harness.emulator.tokenRequests('refresh_token')).toBe(2);
    });
  },
);

describe('GET /connections/:id refreshes credentials', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('hands out the stored credentials without calling PingOne while they are more than 5 minutes from expiry', async () => {
    const id = await connect(harness);
    const before = await readConnection(harness, id);
    harness.clock.advance(HOUR - REFRESH_WINDOW_MS - 60_000);
    harness.emulator.resetCounters();
    const after = await readConnection(harness, id);
    expect(after.credentials).toEqual(before.credentials);
    expect(harness.emulator.tokenRequests()).toBe(0);
  });

  it('refreshes credentials that expire within 5 minutes and stores the rotated refresh token', async () => {
    const id = await connect(harness);
    const before = await readConnection(harness, id);
    harness.clock.advance(NEARLY_EXPIRED);
    harness.emulator.resetCounters();
    const after = await readConnection(harness, id);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    expect(after.credentials.access_token).not.toBe(before.credentials.access_token);
    expect(after.credentials.refresh_token).not.toBe(before.credentials.refresh_token);
    // An hour from the refresh, on the server's clock.
    const expiresIn = Date.parse(after.credentials.expires_at ?? '') - harness.clock.now();
    expect(expiresIn).toBeGreaterThan(HOUR - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(HOUR);
    // The next read finds them fresh.
    expect(await readConnection(harness, id)).toEqual(after);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
  });

  it('refreshes on ?refresh=force: the refresh token rotates and the old one is dead at PingOne', async () => {
    const id = await connect(harness);
    const before = await readConnection(harness, id);
    harness.emulator.resetCounters();
    const after = await readConnection(harness, id, true);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    const { refresh_token: oldToken } = before.credentials;
    const { refresh_token: newToken } = after.credentials;
    if (!oldToken || !newToken) throw new Error('expected refresh tokens');
    expect(newToken).not.toBe(oldToken);
    expect(await isActive(harness, oldToken)).toBe(false);
    expect(await isActive(harness, newToken)).toBe(true);
    expect(after.credentials.id_token).toBeTruthy();
  });

  it('refuses a refresh value other than force with invalid_request', async () => {
    const id = await connect(harness);
    const response = await backendGet(harness, `/connections/${id}?refresh=always`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('answers connection_not_found for an unknown connection, forced or not', async () => {
    for (const suffix of ['', '?refresh=force']) {
      const response = await backendGet(harness, `/connections/conn_unknown${suffix}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });
    }
  });

  it('answers provider_unavailable when PingOne is down and leaves the connection as it was', async () => {
    const id = await connect(harness);
    const before = await readConnection(harness, id);
    harness.emulator.faults.tokenFailStatus = 503;
    const response = await backendGet(harness, `/connections/${id}?refresh=force`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'provider_unavailable' } });
    harness.emulator.faults.tokenFailStatus = null;
    expect(await readConnection(harness, id)).toEqual(before);
    expect((await readConnection(harness, id, true)).status).toBe('active');
  });
});

describe('§6.5 a refresh that PingOne refuses marks the connection needs_reauth, emits connection.refresh_failed, and is not retried in a tight loop', () => {
  let harness: Harness;
  let id: string;
  beforeEach(async () => {
    // A custom resource's grant: the kind PingOne lets an admin (here the test) revoke.
    harness = await startHarness({ env: { ...WEBHOOK_ENV, ...REVOCABLE_SCOPES_ENV } });
    id = await connect(harness, 'user-revoked');
    const { credentials } = await readConnection(harness, id);
    await revokeAtPingOne(harness, credentials.refresh_token ?? '');
    harness.emulator.resetCounters();
  });
  afterEach(() => harness.close());

  it('answers refresh_failed with PingOne’s invalid_grant and marks the connection needs_reauth', async () => {
    const response = await backendGet(harness, `/connections/${id}?refresh=force`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { code: 'refresh_failed', oauth_error: { error: 'invalid_grant' } },
    });
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    expect((await readConnection(harness, id)).status).toBe('needs_reauth');
    expect(loggedEvents(harness, id)).toContain('connection.refresh_failed');
  });

  it('queues connection.refresh_failed with the status change, carrying no token', async () => {
    await backendGet(harness, `/connections/${id}?refresh=force`);
    const events = outbox(harness).filter((row) => row.event_type === 'connection.refresh_failed');
    expect(events).toHaveLength(1);
    const payload = JSON.parse(events[0]?.payload ?? '') as Record<string, unknown>;
    expect(payload).toEqual({
      type: 'connection.refresh_failed',
      timestamp: expect.any(String),
      data: {
        connection_id: id,
        integration_id: 'pingone',
        end_user: { id: 'user-revoked' },
        organization: null,
        status: 'needs_reauth',
        // A custom resource's grant, which /as/revoke ends: PingOne's refusal does not say why.
        status_reason: 'invalid_grant',
        reauth_by: expect.any(String),
      },
    });
  });

  it('makes no call to PingOne during the cool-down, and one after it', async () => {
    await backendGet(harness, `/connections/${id}?refresh=force`);
    harness.emulator.resetCounters();
    for (let i = 0; i < 5; i += 1) {
      const response = await backendGet(harness, `/connections/${id}?refresh=force`);
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: 'refresh_failed' } });
    }
    expect(harness.emulator.tokenRequests()).toBe(0);

    harness.clock.advance(REFRESH_COOL_DOWN_MS);
    const retried = await backendGet(harness, `/connections/${id}?refresh=force`);
    expect(retried.status).toBe(502);
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    // Still the one event: the connection was already needs_reauth.
    expect(
      outbox(harness).filter((row) => row.event_type === 'connection.refresh_failed'),
    ).toHaveLength(1);
  });

  it('becomes active again, without cool-down, when the end user connects again', async () => {
    await backendGet(harness, `/connections/${id}?refresh=force`);
    const again = await connectFlow(harness, { session: { end_user: { id: 'user-revoked' } } });
    expect(again.posted.message).toMatchObject({ ok: true, connection_id: id });
    const forced = await readConnection(harness, id, true);
    expect(forced.status).toBe('active');
    expect(outbox(harness).map((row) => row.event_type)).toEqual([
      'connection.created',
      'connection.refresh_failed',
      'connection.updated',
    ]);
  });
});

describe('§5.13 no token, code, verifier, secret or session token in any log line', () => {
  it('keeps tokens and secrets out of the refresh, refusal, deletion and webhook entries', async () => {
    const receiver = await startReceiver();
    const harness = await startHarness({
      env: { ...WEBHOOK_ENV, ...REVOCABLE_SCOPES_ENV, WEBHOOK_URL: receiver.url },
    });
    try {
      const dispatcher = new WebhookDispatcher({
        store: harness.store,
        endpoint: { url: receiver.url, secret: WEBHOOK_ENV.WEBHOOK_SECRET },
        logger: createLogger({ level: 'debug', sink: (line) => harness.logs.push(line) }),
        clock: harness.clock.now,
      });
      const secrets = new Set([
        SECRET_KEY,
        CLIENT_SECRET,
        WEBHOOK_ENV.WEBHOOK_SECRET,
        WEBHOOK_ENV.WEBHOOK_SECRET.slice('whsec_'.length),
        testKey(1),
        testKey(2),
      ]);
      const remember = (body: Awaited<ReturnType<typeof readConnection>>) => {
        const { access_token, refresh_token, id_token } = body.credentials;
        for (const token of [access_token, refresh_token, id_token]) if (token) secrets.add(token);
      };

      const id = await connect(harness, 'user-secrets');
      remember(await readConnection(harness, id));
      remember(await readConnection(harness, id, true));
      const refreshed = await readConnection(harness, id);
      await revokeAtPingOne(harness, refreshed.credentials.refresh_token ?? '');
      expect((await backendGet(harness, `/connections/${id}?refresh=force`)).status).toBe(502);
      const other = await connect(harness, 'user-secrets-deleted');
      remember(await readConnection(harness, other));
      expect((await deleteConnection(harness, other)).status).toBe(200);
      expect((await dispatcher.dispatchDue()).delivered).toBe(4);

      const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
      const rows = db.prepare('select * from logs').all();
      db.close();
      const written = [...harness.logs, ...rows.map((row) => JSON.stringify(row))].join('\n');
      for (const event of [
        'connection.refreshed',
        'connection.refresh_failed',
        'connection.deleted',
        'webhook.delivered',
      ]) {
        expect(written).toContain(event);
      }
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThan(16);
        expect(written).not.toContain(secret);
      }
    } finally {
      await receiver.close();
      await harness.close();
    }
  });
});
