// Two replicas behind a load balancer (DESIGN §4.11, §6.1): two real server processes, the
// built bin, on one PostgreSQL database and one PUBLIC_URL, with requests sent to one or the
// other in turn, as a round-robin balancer with no sticky sessions would. Everything a flow,
// a refresh, a rate limit or a webhook needs must be in the database for these to hold.
import type { Emulator } from '@pingone-connect/emulator';
import { mintSession, startAttempt, type FlowTarget } from '@pingone-connect/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger/logger.js';
import { RetentionSweep } from '../src/retention/retention-sweep.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { WEBHOOK_ENV } from './connections.js';
import { postgres, type Engine } from './engines.js';
import { startReceiver, type Receiver } from './receiver.js';
import { ServerProcess, emulatorFor, serverEnv } from './server-process.js';
import { HOST_ORIGIN, SECRET_KEY, freePort, postedResult } from './support.js';

const POLL_LIMIT = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

let database: Engine;
let emulator: Emulator;
let receiver: Receiver;
let sql: pg.Pool;
let store: Store;
const replicas: ServerProcess[] = [];
/** The replicas' own addresses; PUBLIC_URL is the balancer's, which the tests play. */
const urls: string[] = [];
let turn = 0;
/** The next replica in round-robin order. */
const next = () => urls[turn++ % urls.length] as string;

const target = (baseUrl: string): FlowTarget => ({
  fetch,
  baseUrl,
  emulator,
  secretKey: SECRET_KEY,
  origin: HOST_ORIGIN,
});
const backend = (url: string, init: RequestInit = {}) =>
  fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${SECRET_KEY}`, ...init.headers },
  });

beforeAll(async () => {
  database = await postgres();
  sql = new pg.Pool({ connectionString: database.url });
  // PostgreSQL stopping at the end may end an idle client before the pool has: not a failure.
  sql.on('error', () => {});
  const publicUrl = `http://127.0.0.1:${await freePort()}`;
  emulator = await emulatorFor(publicUrl);
  receiver = await startReceiver();
  const ports = [await freePort(), await freePort()];
  for (const port of ports) {
    const replica = new ServerProcess([], {
      ...serverEnv(port, emulator, 'unused'),
      PUBLIC_URL: publicUrl,
      DATABASE_URL: database.url,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: WEBHOOK_ENV.WEBHOOK_SECRET,
      RATE_LIMIT_POLL_PER_MINUTE: String(POLL_LIMIT),
      // Seeded webhooks and the flows below must not hit the popup's limit.
      RATE_LIMIT_OAUTH_PER_MINUTE: '1000',
      LOG_LEVEL: 'warn',
    });
    replicas.push(replica);
    urls.push(`http://127.0.0.1:${port}`);
  }
  // Both start at once: they migrate the one database together (DESIGN §6.10).
  await Promise.all(replicas.map((replica) => replica.waitFor(/listening on/)));
  store = await openStore(database.url);
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) replica.kill();
  await Promise.all(replicas.map((replica) => replica.exited));
  await store?.close();
  await sql?.end();
  await receiver?.close();
  await emulator?.close();
  await database?.stop();
});

/** A connect flow whose popup starts on replica A and whose callback lands on replica B. */
async function connectAcross(endUserId: string): Promise<{ connectionId: string }> {
  const [a, b] = urls as [string, string];
  const { token } = await mintSession(target(a), { end_user: { id: endUserId } });
  const attempt = await startAttempt(target(a), token);
  const callbackUrl = await emulator.approve(attempt.authorizeUrl);
  // The browser comes back to the balancer, which sends it to the other replica.
  const callback = await fetch(new URL(callbackUrl.pathname + callbackUrl.search, b), {
    headers: { cookie: attempt.cookie },
  });
  expect(callback.status).toBe(200);
  const { message } = postedResult(await callback.text());
  expect(message).toMatchObject({ ok: true, attempt_id: attempt.attemptId });
  if (!message?.ok) throw new Error('the connect flow failed');
  return { connectionId: message.connection_id };
}

describe('two replicas on one PostgreSQL, round-robin, no sticky sessions', () => {
  it('completes a flow whose /oauth/connect ran on one replica and whose callback ran on the other', async () => {
    const { connectionId } = await connectAcross('user-across');
    // Either replica serves the new connection.
    for (const url of urls) {
      const read = await backend(`${url}/connections/${connectionId}`);
      expect(read.status).toBe(200);
    }
  });

  it('§6.1 refreshes an expiring connection once for 200 concurrent reads split across both', async () => {
    const { connectionId } = await connectAcross('user-burst');
    // Its access token now expires within the refresh margin (5 minutes).
    await sql.query('update connections set expires_at = $1 where id = $2', [
      Date.now() + 60_000,
      connectionId,
    ]);
    emulator.resetCounters();
    const reads = await Promise.all(
      Array.from({ length: 200 }, () => backend(`${next()}/connections/${connectionId}`)),
    );
    const bodies = (await Promise.all(reads.map((read) => read.json()))) as {
      credentials: { access_token: string };
    }[];
    const refreshes = emulator.tokenRequests('refresh_token');
    const tokens = new Set(bodies.map((body) => body.credentials.access_token));
    console.log(
      `replicas: 200 concurrent reads -> ${refreshes} upstream refresh(es), ${tokens.size} distinct access token(s)`,
    );
    expect(reads.map((read) => read.status)).toEqual(reads.map(() => 200));
    expect(refreshes).toBe(1);
    expect(tokens.size).toBe(1);
  });

  it('§5.12 counts the attempt-polling rate limit across both replicas: the request after the limit gets 429 rate_limited', async () => {
    // A fixed one-minute window: begin early in one, so the limit's requests share it. This
    // only avoids a boundary; nothing below depends on how long a request takes.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const statuses: number[] = [];
    for (let i = 0; i < POLL_LIMIT; i += 1) {
      statuses.push((await fetch(`${next()}/connect/attempts/att_limit_${i}`)).status);
    }
    // Counted, though refused for want of a session token.
    expect(statuses).toEqual(statuses.map(() => 401));
    const over = await fetch(`${next()}/connect/attempts/att_limit_over`);
    console.log(
      `replicas: ${POLL_LIMIT} polls over two replicas allowed, request ${POLL_LIMIT + 1} -> ${over.status}`,
    );
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // The other replica refuses too: it reads the same count.
    const other = await fetch(`${next()}/connect/attempts/att_limit_over`);
    expect(other.status).toBe(429);
  });

  it('prunes 20,000 old log rows in batches while a mint on a replica completes mid-prune', async () => {
    const before = Date.now() - 30 * DAY_MS;
    const old = Date.now() - 60 * DAY_MS;
    for (let batch = 0; batch < 20; batch += 1) {
      const ids = Array.from({ length: 1000 }, (_, i) => `log_old_${batch * 1000 + i}`);
      await sql.query(
        `insert into logs (id, created_at, level, event, message)
         select id, $2, 'info', 'seed.old', 'An old row.' from unnest($1::text[]) as id`,
        [ids, old],
      );
    }
    const oldRows = async () =>
      Number(
        (await sql.query('select count(*) as n from logs where created_at < $1', [before])).rows[0]
          .n,
      );
    const recentBefore = Number(
      (await sql.query('select count(*) as n from logs where created_at >= $1', [before])).rows[0]
        .n,
    );

    // The sweep stops after its first batch until the mint below has answered.
    let paused!: () => void;
    const atFirstPause = new Promise<void>((resolve) => (paused = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    const sweep = new RetentionSweep({
      store,
      logger: createLogger({ level: 'error' }),
      retentionDays: 30,
      afterBatch: async () => {
        batches += 1;
        if (batches === 1) {
          paused();
          await released;
        }
      },
    });
    const pruning = sweep.tick();
    await atFirstPause;
    const minted = await mintSession(target(next()), { end_user: { id: 'user-mid-prune' } });
    const leftWhileMinting = await oldRows();
    release();
    const report = await pruning;
    console.log(
      `replicas: retention pruned ${report.logs} log rows in ${batches + 1} batches; a mint answered with ${leftWhileMinting} old rows still to go`,
    );
    expect(minted.token).toBeTruthy();
    expect(leftWhileMinting).toBe(19_000);
    expect(report.logs).toBe(20_000);
    expect(await oldRows()).toBe(0);
    const recentAfter = Number(
      (await sql.query('select count(*) as n from logs where created_at >= $1', [before])).rows[0]
        .n,
    );
    expect(recentAfter).toBeGreaterThanOrEqual(recentBefore);
  }, 60_000);

  // Last: it stops the replicas, so that no delivery can still be in flight when it counts.
  it('delivers 100 webhooks exactly once between two dispatchers', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `evt_replica_${String(i).padStart(3, '0')}`);
    const now = Date.now();
    // Queued as the journal queues them: in a transaction, due at once.
    await store.transaction(async (trx) => {
      for (const id of ids) {
        await trx.outbox.insert({
          id,
          type: 'connection.updated',
          createdAt: now,
          connectionId: 'con_seeded',
          payload: JSON.stringify({
            type: 'connection.updated',
            timestamp: new Date(now).toISOString(),
            data: {
              connection_id: 'con_seeded',
              integration_id: 'pingone',
              end_user: { id: 'user-webhooks' },
              organization: null,
            },
          }),
        });
      }
    });
    const wanted = new Set(ids);
    const seen = () =>
      receiver.received.filter((delivery) => wanted.has(String(delivery.headers['webhook-id'])));
    // Each replica's dispatcher polls the outbox; wait for every event to arrive.
    while (new Set(seen().map((delivery) => delivery.headers['webhook-id'])).size < ids.length) {
      await receiver.next();
    }
    // A graceful stop waits for the deliveries in flight: after it, nothing more can arrive.
    for (const replica of replicas) replica.child.kill('SIGTERM');
    expect(await Promise.all(replicas.map((replica) => replica.exited))).toEqual([0, 0]);
    const deliveries = seen().length;
    const unique = new Set(seen().map((delivery) => delivery.headers['webhook-id'])).size;
    const outbox = await sql.query<{ attempts: number; delivered: boolean }>(
      'select attempts, delivered_at is not null as delivered from webhook_outbox where id = any($1)',
      [ids],
    );
    console.log(
      `replicas: ${ids.length} webhooks -> ${deliveries} deliveries, ${unique} unique, ${deliveries - unique} duplicates`,
    );
    expect(unique).toBe(100);
    expect(deliveries).toBe(100);
    expect(outbox.rows).toHaveLength(100);
    expect(outbox.rows.every((row) => row.delivered && Number(row.attempts) === 1)).toBe(true);
  }, 60_000);
});
