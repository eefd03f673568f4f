// kill -9 in the middle of things: connect flows and forced refreshes in flight when the server
// is SIGKILLed, then the server restarted on the same SQLite file. What must hold afterwards is
// DESIGN §6.4 (no committed connection and no queued webhook lost), §6.8 (a refresh cut off
// after PingOne rotated is retried, and never leaves a connection silently dead) and §6.9 (no
// attempt still open past its life).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator, RefreshHold } from '@pingone-connect/emulator';
import BetterSqlite3 from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { WEBHOOK_ENV } from './connections.js';
import { createLogger } from '../src/logger/logger.js';
import { openStore } from '../src/store/open.js';
import { HOST_ORIGIN, SECRET_KEY, TestClock, freePort, postedResult } from './support.js';
import { startReceiver, type Receiver } from './receiver.js';
import { ServerProcess, emulatorFor, serverEnv, signInOverHttp } from './server-process.js';

/** Short, so that a dead server's refresh lease (this + 2 s) runs out soon after the restart. */
const PINGONE_TIMEOUT_MS = '1000';

interface Stack {
  emulator: Emulator;
  /** Null while the receiver is down: nothing listens on its port yet. */
  receiver: Receiver | null;
  receiverUp(): Promise<Receiver>;
  env: Record<string, string>;
  publicUrl: string;
  database: string;
  start(): Promise<ServerProcess>;
}

let dir: string;
let stack: Stack | undefined;
const servers: ServerProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pingone-connect-kill-9-'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) server.kill();
  await stack?.receiver?.close();
  await stack?.emulator.close();
  stack = undefined;
  await rm(dir, { recursive: true, force: true });
});

/**
 * An emulator, a webhook receiver that is down (nothing listens on its port) until the test
 * brings it up, and the server's environment, storing in a fresh SQLite file.
 */
async function startStack(gracePeriodSeconds: number): Promise<Stack> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const emulator = await emulatorFor(publicUrl, {
    client: { refreshTokenRollingGracePeriodDuration: gracePeriodSeconds },
  });
  const receiverPort = await freePort();
  const database = join(dir, 'connect.db');
  const env = {
    ...serverEnv(port, emulator, database),
    // The attempts outlive their life here (a replica polls them a quarter of an hour later).
    SESSION_TTL_SECONDS: '3600',
    WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/webhooks`,
    WEBHOOK_SECRET: WEBHOOK_ENV.WEBHOOK_SECRET,
    PINGONE_TIMEOUT_MS,
  };
  stack = {
    emulator,
    receiver: null,
    async receiverUp() {
      this.receiver = await startReceiver(receiverPort);
      return this.receiver;
    },
    env,
    publicUrl,
    database,
    async start() {
      const server = new ServerProcess([], env);
      servers.push(server);
      await server.waitFor(/listening on/);
      return server;
    },
  };
  return stack;
}

const backend = (path: string) =>
  fetch(`${stack?.publicUrl}${path}`, { headers: { authorization: `Bearer ${SECRET_KEY}` } });

/** A whole connect flow over HTTP for end user `endUserId`; the new connection's id. */
async function connectOverHttp(endUserId: string): Promise<string> {
  if (!stack) throw new Error('no stack');
  const { callbackUrl, cookie } = await signInOverHttp(
    stack.publicUrl,
    stack.emulator,
    `att_k9_${endUserId}`,
    endUserId,
  );
  const { message } = postedResult(
    await (await fetch(callbackUrl, { headers: { cookie } })).text(),
  );
  if (!message?.ok) throw new Error('the connect flow failed');
  return message.connection_id;
}

/** Resolves once the emulator has counted `count` token requests of `grantType`. */
async function tokenRequestsReach(grantType: string, count: number): Promise<void> {
  while ((stack?.emulator.tokenRequests(grantType) ?? 0) < count) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** SIGKILLs `server` and waits for it to be gone. */
async function kill9(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  expect(await server.exited).toBeNull();
}

/** How a connection reads after the restart: its status and reason, or the error. */
async function readAfterRestart(id: string): Promise<Record<string, unknown>> {
  const response = await backend(`/connections/${id}`);
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok) return { status: body.status, status_reason: body.status_reason };
  const listed = (await (await backend(`/connections?limit=100`)).json()) as {
    data: { id: string; status: string; status_reason: string | null }[];
  };
  const row = listed.data.find((connection) => connection.id === id);
  return { error: (body.error as { code: string }).code, ...row };
}

/** The webhook outbox, read straight from the file. */
function outbox(
  database: string,
): { id: string; event_type: string; delivered_at: number | null }[] {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return db
      .prepare('select id, event_type, delivered_at from webhook_outbox order by id')
      .all() as {
      id: string;
      event_type: string;
      delivered_at: number | null;
    }[];
  } finally {
    db.close();
  }
}

type OutboxEvent = ReturnType<typeof outbox>[number];

/** Waits until every outbox event (that is `due`) has reached the receiver, which is up by now. */
async function allDelivered(
  database: string,
  due: (event: OutboxEvent) => boolean = () => true,
): Promise<string[]> {
  const receiver = stack?.receiver;
  if (!receiver) throw new Error('the receiver is down');
  const verifier = new Webhook(WEBHOOK_ENV.WEBHOOK_SECRET);
  const ids = () =>
    receiver.received
      .filter((d) => d.headers['webhook-id'])
      .map((d) => String(d.headers['webhook-id']));
  while (new Set(ids()).size < outbox(database).filter(due).length) await receiver.next();
  for (const delivery of receiver.received) {
    verifier.verify(delivery.body, delivery.headers as Record<string, string>);
  }
  return ids();
}

describe.each([
  [
    'no reuse grace period (PingOne’s default)',
    0,
    { status: 'needs_reauth', status_reason: 'refresh_interrupted' },
  ],
  ['a reuse grace period', 120, { status: 'active', status_reason: null }],
] as const)('§6.8 a crash mid-refresh, with %s', (_name, grace, outcome) => {
  it('is retried by the next server with the stored token, and never leaves the connection silently dead', async () => {
    const { emulator, database } = await startStack(grace);
    const first = await stack!.start();
    const id = await connectOverHttp('user-1');

    const hold: RefreshHold = emulator.faults.holdRefreshAfterRotation();
    const refreshing = backend(`/connections/${id}?refresh=force`).catch(() => null);
    await hold.held; // PingOne rotated the refresh token; the server has not stored the new one
    await kill9(first);
    hold.release();
    expect(await refreshing).toBeNull();

    await stack!.receiverUp();
    await stack!.start();
    const read = await backend(`/connections/${id}`);
    if (outcome.status === 'active') {
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject(outcome);
    } else {
      expect(read.status).toBe(502);
      expect(await read.json()).toMatchObject({ error: { code: 'refresh_failed' } });
      expect(await readAfterRestart(id)).toMatchObject(outcome);
    }
    const events = outbox(database).map((row) => row.event_type);
    expect(events.filter((type) => type === 'connection.refresh_failed')).toHaveLength(
      outcome.status === 'active' ? 0 : 1,
    );
    const delivered = await allDelivered(database);
    expect(delivered).toHaveLength(new Set(delivered).size);
  });
});

describe('§6.4 §6.8 §6.9 kill -9 with connect flows and forced refreshes in flight', () => {
  const COMMITTED = 4;
  const IN_FLIGHT_FLOWS = 3;

  it('loses no committed connection, leaves none dead without a reason, no attempt open past its life, and delivers every webhook once', async () => {
    const { emulator, database } = await startStack(0);
    const first = await stack!.start();

    const committed: string[] = [];
    for (let i = 0; i < COMMITTED; i += 1) committed.push(await connectOverHttp(`user-${i}`));

    // Forced refreshes of half the connections, each held by PingOne after it rotated.
    const hold = emulator.faults.holdRefreshAfterRotation({ requests: COMMITTED / 2 });
    const refreshing = committed
      .slice(0, COMMITTED / 2)
      .map((id) => backend(`/connections/${id}?refresh=force`).catch(() => null));
    await hold.held;

    // Connect flows whose code exchange is on its way to PingOne when the server dies.
    const flows = [];
    for (let i = 0; i < IN_FLIGHT_FLOWS; i += 1) {
      flows.push(
        await signInOverHttp(stack!.publicUrl, emulator, `att_k9_flight_${i}`, `flight-${i}`),
      );
    }
    emulator.resetCounters();
    emulator.faults.tokenDelayMs = 60_000;
    const callbacks = flows.map(({ callbackUrl, cookie }) =>
      fetch(callbackUrl, { headers: { cookie } }).catch(() => null),
    );
    await tokenRequestsReach('authorization_code', IN_FLIGHT_FLOWS);

    await kill9(first);
    hold.release();
    emulator.faults.tokenDelayMs = 0;
    expect(await Promise.all([...refreshing, ...callbacks])).toEqual(
      [...refreshing, ...callbacks].map(() => null),
    );

    await stack!.receiverUp();
    await stack!.start();

    // 0 committed connections lost; 0 dead without a status_reason.
    const listed = (await (await backend('/connections?limit=100')).json()) as {
      data: { id: string }[];
    };
    expect(listed.data.map((c) => c.id).sort()).toEqual(
      expect.arrayContaining([...committed].sort()),
    );
    const states = await Promise.all(committed.map(readAfterRestart));
    for (const state of states) {
      expect(state.status === 'active' || state.status_reason === 'refresh_interrupted').toBe(true);
    }
    expect(states.filter((s) => s.status === 'active')).toHaveLength(COMMITTED / 2);

    // 0 attempts still open past their life: read by a replica a quarter of an hour later.
    const config = loadConfig(stack!.env);
    const store = await openStore(config.databaseUrl);
    const clock = new TestClock();
    clock.advance(15 * 60 * 1000);
    const replica = createApp(config, store, {
      clock: clock.now,
      logger: createLogger({ level: 'error', sink: () => {} }),
    });
    try {
      for (let i = 0; i < IN_FLIGHT_FLOWS; i += 1) {
        const polled = await replica.request(`/connect/attempts/att_k9_flight_${i}`, {
          headers: { authorization: `Bearer ${flows[i]!.token}`, origin: HOST_ORIGIN },
        });
        expect(await polled.json()).toMatchObject({ status: 'error' });
      }
    } finally {
      await store.close();
    }

    // The replica ended each interrupted flow with a connect.failed, queued at its own clock a
    // quarter of an hour ahead: due only then, so left out of the deliveries awaited below.
    const failed = outbox(database).filter((row) => row.event_type === 'connect.failed');
    expect(failed).toHaveLength(IN_FLIGHT_FLOWS);
    const due = (row: OutboxEvent) => row.event_type !== 'connect.failed';

    // Every queued webhook delivered, once.
    const delivered = await allDelivered(database, due);
    expect(delivered).toHaveLength(new Set(delivered).size);
    expect(new Set(delivered)).toEqual(
      new Set(
        outbox(database)
          .filter(due)
          .map((row) => row.id),
      ),
    );
    expect(
      outbox(database).filter((row) => row.event_type === 'connection.refresh_failed'),
    ).toHaveLength(COMMITTED / 2);
  });
});
