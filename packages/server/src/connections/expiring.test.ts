import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, type Engine } from '../../test/engines.js';
import { WEBHOOK_ENV, connect, outbox, readConnection } from '../../test/connections.js';
import { startHarness, type Harness } from '../../test/support.js';
import { newId } from '../ids.js';
import { Journal } from '../journal/journal.js';
import { createLogger } from '../logger/logger.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { ExpiringNotices } from './expiring.js';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const logger = createLogger({ level: 'error', sink: () => {} });

/** A sweep over `store`, as one server process runs it, on the shared `Date`. */
function sweep(store: Store, noticeDays = 3): ExpiringNotices {
  return new ExpiringNotices({
    store,
    // Read at each call: the tests replace `Date` as they move the time.
    journal: new Journal({ logger, clock: () => Date.now(), webhooks: { wake: () => {} } }),
    logger,
    noticeDays,
    clock: () => Date.now(),
  });
}

/** Sets the time of the server and the emulator alike (both read `Date`). */
function timeAt(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: ms });
}

const expiringEvents = (harness: Harness) =>
  outbox(harness)
    .filter((row) => row.event_type === 'connection.expiring')
    .map((row) => JSON.parse(row.payload) as { data: Record<string, unknown> });

describe('§4.10 connection.expiring goes EXPIRING_NOTICE_DAYS before reauth_by, once', () => {
  let harness: Harness;
  let start: number;
  let id: string;
  let reauthBy: number;

  async function setUp(env: Record<string, string> = {}): Promise<void> {
    start = Date.now();
    timeAt(start);
    harness = await startHarness({ env: { ...WEBHOOK_ENV, ...env } });
    id = await connect(harness, 'user-expiring');
    reauthBy = Date.parse((await readConnection(harness, id)).reauth_by ?? '');
  }
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  it('is sent once the notice period begins, and not again', async () => {
    await setUp();
    const notices = sweep(harness.store, harness.config.expiringNoticeDays);
    expect(await notices.tick()).toBe(0);
    timeAt(reauthBy - 3 * DAY - MINUTE);
    expect(await notices.tick()).toBe(0);

    timeAt(reauthBy - 3 * DAY);
    expect(await notices.tick()).toBe(1);
    expect(await notices.tick()).toBe(0);
    timeAt(reauthBy - DAY);
    expect(await notices.tick()).toBe(0);
    expect(expiringEvents(harness)).toEqual([
      expect.objectContaining({
        type: 'connection.expiring',
        data: expect.objectContaining({
          connection_id: id,
          status: 'active',
          reauth_by: new Date(reauthBy).toISOString(),
        }),
      }),
    ]);
  });

  it('follows EXPIRING_NOTICE_DAYS', async () => {
    await setUp({ EXPIRING_NOTICE_DAYS: '7' });
    expect(harness.config.expiringNoticeDays).toBe(7);
    const notices = sweep(harness.store, harness.config.expiringNoticeDays);
    timeAt(reauthBy - 7 * DAY - MINUTE);
    expect(await notices.tick()).toBe(0);
    timeAt(reauthBy - 7 * DAY);
    expect(await notices.tick()).toBe(1);
  });

  it('is not sent again by a new server on the same database after a restart', async () => {
    await setUp();
    timeAt(reauthBy - 2 * DAY);
    expect(await sweep(harness.store).tick()).toBe(1);

    const restarted = await openStore(harness.config.databaseUrl);
    try {
      expect(await sweep(restarted).tick()).toBe(0);
    } finally {
      await restarted.close();
    }
    expect(expiringEvents(harness)).toHaveLength(1);
  });

  it('is armed again by a reconnect, a new sign-on with a new reauth_by', async () => {
    await setUp();
    timeAt(reauthBy - 2 * DAY);
    expect(await sweep(harness.store).tick()).toBe(1);

    const reconnected = await connect(harness, 'user-expiring');
    expect(reconnected).toBe(id);
    const renewed = Date.parse((await readConnection(harness, id)).reauth_by ?? '');
    expect(renewed).toBeGreaterThan(reauthBy);
    expect(await sweep(harness.store).tick()).toBe(0);
    timeAt(renewed - 3 * DAY);
    expect(await sweep(harness.store).tick()).toBe(1);
    expect(expiringEvents(harness).map((event) => event.data.reauth_by)).toEqual([
      new Date(reauthBy).toISOString(),
      new Date(renewed).toISOString(),
    ]);
  });

  it('is not sent for a connection that already needs the end user', async () => {
    await setUp();
    const [session] = harness.emulator.sessions();
    if (session) harness.emulator.endSession(session.id);
    timeAt(reauthBy - 2 * DAY);
    // The read refreshes (the access token expired long ago) and finds the session ended.
    await harness.app.request(harness.url(`/connections/${id}`), {
      headers: { authorization: `Bearer ${harness.target.secretKey}` },
    });
    expect((await harness.store.connections.find(id))?.status).toBe('needs_reauth');
    expect(await sweep(harness.store).tick()).toBe(0);
  });
});

const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/**
 * A server process that sweeps once the moment it reads a line on stdin, and prints how many
 * notices it sent: both replicas are ready (store open) before either sweeps. Processes, not
 * two stores in this one: SQLite's busy wait blocks the thread that waits.
 */
function replica(url: string) {
  const script = `
    import { ExpiringNotices, Journal, createLogger, openStore } from ${JSON.stringify(pathToFileURL(INDEX).href)};
    const store = await openStore(${JSON.stringify(url)});
    const logger = createLogger({ level: 'error', sink: () => {} });
    const journal = new Journal({ logger, clock: Date.now, webhooks: { wake: () => {} } });
    const notices = new ExpiringNotices({ store, journal, logger, noticeDays: 3 });
    process.stdout.write('ready\\n');
    process.stdin.once('data', async () => {
      try {
        const sent = await notices.tick();
        await store.close();
        process.stdout.write(String(sent));
        process.exit(0);
      } catch (error) {
        process.stderr.write(String(error?.message));
        process.exit(1);
      }
    });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const sent = new Promise<number>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(stdout.replace('ready\n', ''))) : reject(new Error(stderr)),
    ),
  );
  return { ready, sent, go: () => child.stdin.write('go\n') };
}

describe.each(ENGINES)(
  'connection.expiring with two replicas sweeping at once on %s',
  (_, open) => {
    const COUNT = 12;
    let engine: Engine;
    let store: Store;
    beforeAll(async () => {
      if (!existsSync(INDEX)) throw new Error('dist/index.js is missing: build the package first');
      engine = await open();
      store = await openStore(engine.url);
    });
    afterAll(async () => {
      await store.close();
      await engine.stop();
    });

    it('sends each notice exactly once', async () => {
      const now = Date.now();
      for (let i = 0; i < COUNT; i += 1) {
        await store.connections.upsert({
          id: newId('conn', now + i),
          integrationId: 'pingone',
          endUser: { id: `user-${i}`, email: null, displayName: null },
          organization: null,
          providerAccount: { sub: `sub-${i}`, email: null, name: null },
          scopes: ['openid'],
          credentials: `eyJ.encrypted.${i}`,
          expiresAt: null,
          signedOnAt: now - 28 * DAY,
          reauthBy: now + 2 * DAY + i * MINUTE,
          now,
        });
      }

      const replicas = [replica(engine.url), replica(engine.url)];
      await Promise.all(replicas.map((r) => r.ready));
      for (const r of replicas) r.go();
      const sent = await Promise.all(replicas.map((r) => r.sent));
      expect(sent[0]! + sent[1]!).toBe(COUNT);
      expect(await sweep(store).tick()).toBe(0);

      const events = await store.outbox.claimDue(Date.now() + DAY, Date.now() + 2 * DAY, 100);
      const notified = events
        .filter((event) => event.type === 'connection.expiring')
        .map((event) => (JSON.parse(event.payload) as { data: { connection_id: string } }).data);
      expect(notified).toHaveLength(COUNT);
      expect(new Set(notified.map((data) => data.connection_id)).size).toBe(COUNT);
    });

    it('serves other work between notices: a long sweep never holds the event loop', async () => {
      const now = Date.now();
      for (let i = 0; i < 3; i += 1) {
        await store.connections.upsert({
          id: newId('conn', now + 100 + i),
          integrationId: 'pingone',
          endUser: { id: `waiting-${i}`, email: null, displayName: null },
          organization: null,
          providerAccount: { sub: `waiting-sub-${i}`, email: null, name: null },
          scopes: ['openid'],
          credentials: `eyJ.encrypted.waiting.${i}`,
          expiresAt: null,
          signedOnAt: now - 28 * DAY,
          reauthBy: now + 2 * DAY + i * MINUTE,
          now,
        });
      }
      const transaction = store.transaction.bind(store);
      let notices = 0;
      const counting: Store = {
        ...store,
        transaction: (fn, options) => ((notices += 1), transaction(fn, options)),
      };
      // A macrotask queued as the sweep starts stands for a request that has arrived.
      let noticesWhenServed: number | undefined;
      setImmediate(() => (noticesWhenServed = notices));

      expect(await sweep(counting).tick()).toBe(3);
      // Before the last notice had even started (on SQLite only because the sweep gives way).
      expect(noticesWhenServed).toBeLessThan(3);
    });
  },
);
