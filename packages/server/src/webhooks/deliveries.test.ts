import type { WebhookDelivery, WebhookEventState } from '@pingone-connect/protocol';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_ENV, connect } from '../../test/connections.js';
import { startReceiver, type Delivery, type Receiver } from '../../test/receiver.js';
import {
  SECRET_KEY,
  backendGet,
  freePort,
  startHarness,
  type Harness,
} from '../../test/support.js';
import { createLogger } from '../logger/logger.js';
import { WebhookDispatcher, retryDelayMs, type WebhookDispatcherOptions } from './dispatcher.js';

const SECRET = WEBHOOK_ENV.WEBHOOK_SECRET;
/** How long each delivery takes by the dispatcher's clock. */
const ROUND_TRIP_MS = 250;

let harness: Harness | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  await harness?.close();
  receiver = undefined;
  harness = undefined;
});

/** A clock that moves only when told to: durations and due times are exact. */
class ManualClock {
  at = 0;
  readonly now = (): number => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

interface Setup {
  harness: Harness;
  dispatcher: WebhookDispatcher;
  clock: ManualClock;
}

/**
 * A harness whose WEBHOOK_URL is `url`, and a dispatcher on its store whose clock moves only
 * by hand: each delivery takes {@link ROUND_TRIP_MS}, moved on once the receiver has answered.
 */
async function setUp(url: string, options: Partial<WebhookDispatcherOptions> = {}): Promise<Setup> {
  harness = await startHarness({ env: { ...WEBHOOK_ENV, WEBHOOK_URL: url } });
  const clock = new ManualClock();
  // Events are queued at the harness's time; the dispatcher's starts well after it.
  clock.at = harness.clock.now() + 60_000;
  const dispatcher = new WebhookDispatcher({
    store: harness.store,
    endpoint: { url, secret: SECRET },
    logger: createLogger({ sink: () => {} }),
    clock: clock.now,
    random: () => 0.5,
    fetch: async (input, init) => {
      try {
        return await fetch(input, init);
      } finally {
        clock.advance(ROUND_TRIP_MS);
      }
    },
    ...options,
  });
  return { harness, dispatcher, clock };
}

/** `GET /webhooks/deliveries` with `query`; expects 200. */
async function deliveries(
  query = '',
): Promise<{ data: WebhookDelivery[]; next_cursor: string | null }> {
  const response = await backendGet(harness as Harness, `/webhooks/deliveries${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { data: WebhookDelivery[]; next_cursor: string | null };
}

/** `POST /webhooks/deliveries/:id/redeliver` with the secret key. */
async function redeliver(id: string, secretKey: string | null = SECRET_KEY): Promise<Response> {
  const active = harness as Harness;
  return await active.app.request(active.url(`/webhooks/deliveries/${id}/redeliver`), {
    method: 'POST',
    headers: secretKey ? { authorization: `Bearer ${secretKey}` } : {},
  });
}

/** The error code of a JSON error answer, after checking its status. */
async function codeOf(response: Response, status: number): Promise<string> {
  expect(response.status).toBe(status);
  return ((await response.json()) as { error: { code: string } }).error.code;
}

/** Verifies a delivery with the reference Standard Webhooks implementation. */
function verify(delivery: Delivery): unknown {
  return new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>);
}

describe('the delivery log', () => {
  it('records a delivered attempt with its status, start, duration and no next try', async () => {
    receiver = await startReceiver();
    receiver.status = 200;
    const { harness, dispatcher, clock } = await setUp(receiver.url);
    const connectionId = await connect(harness);
    const startedAt = clock.now();
    await dispatcher.dispatchDue();
    const eventId = (await receiver.next()).headers['webhook-id'];

    const { data, next_cursor } = await deliveries();
    expect(next_cursor).toBeNull();
    expect(data).toEqual([
      {
        id: expect.stringMatching(/^whd_/),
        event_id: eventId,
        event_type: 'connection.created',
        connection_id: connectionId,
        attempt: 1,
        started_at: new Date(startedAt).toISOString(),
        duration_ms: ROUND_TRIP_MS,
        outcome: 'delivered',
        response_status: 200,
        error: null,
        next_attempt_at: null,
        redelivery: false,
      },
    ]);
  });

  it('records a 500 then a 200: the failed attempt with its next try, then the delivery', async () => {
    receiver = await startReceiver();
    receiver.status = 500;
    const { harness, dispatcher, clock } = await setUp(receiver.url);
    await connect(harness);
    const firstAt = clock.now();
    await dispatcher.dispatchDue();
    const nextAt = firstAt + ROUND_TRIP_MS + retryDelayMs(1, 0.5);

    receiver.status = 200;
    clock.at = nextAt;
    await dispatcher.dispatchDue();
    expect(receiver.received).toHaveLength(2);

    const { data } = await deliveries();
    // Newest first.
    expect(
      data.map(({ attempt, outcome, response_status, error, next_attempt_at }) => ({
        attempt,
        outcome,
        response_status,
        error,
        next_attempt_at,
      })),
    ).toEqual([
      {
        attempt: 2,
        outcome: 'delivered',
        response_status: 200,
        error: null,
        next_attempt_at: null,
      },
      {
        attempt: 1,
        outcome: 'failed',
        response_status: 500,
        error: 'HTTP 500',
        next_attempt_at: new Date(nextAt).toISOString(),
      },
    ]);
    expect(data[1]?.started_at).toBe(new Date(firstAt).toISOString());
    expect(data[0]?.started_at).toBe(new Date(nextAt).toISOString());
  });

  it('records each attempt of an event given up, the last with no next try', async () => {
    receiver = await startReceiver();
    receiver.status = 503;
    const { harness, dispatcher, clock } = await setUp(receiver.url, { maxAttempts: 2 });
    await connect(harness);
    await dispatcher.dispatchDue();
    clock.advance(retryDelayMs(1, 0.5));
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 0, failed: 1 });

    const { data } = await deliveries();
    expect(data).toMatchObject([
      { attempt: 2, outcome: 'failed', response_status: 503, next_attempt_at: null },
      { attempt: 1, outcome: 'failed', response_status: 503, next_attempt_at: expect.any(String) },
    ]);
  });

  it('records an attempt that got no answer as an error, without a status', async () => {
    const { harness, dispatcher } = await setUp(`http://127.0.0.1:${await freePort()}/webhooks`);
    await connect(harness);
    await dispatcher.dispatchDue();
    const [attempt] = (await deliveries()).data;
    expect(attempt).toMatchObject({ outcome: 'error', response_status: null });
    expect(attempt?.error).toMatch(/^network error/);
  });

  it('never keeps the receiver’s answer body or the webhook secret in the error', async () => {
    receiver = await startReceiver();
    receiver.status = 500;
    receiver.body = `stack trace: ${SECRET} at handler (receiver-internal.js:12)`;
    const { harness, dispatcher } = await setUp(receiver.url);
    await connect(harness);
    await dispatcher.dispatchDue();
    const response = await backendGet(harness, '/webhooks/deliveries');
    const text = await response.text();
    expect(text).toContain('"error":"HTTP 500"');
    expect(text).not.toContain('receiver-internal');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice('whsec_'.length));
  });
});

describe('listing the delivery log', () => {
  /** Two events for two end users, the first delivered, the second failed once then delivered. */
  async function twoEvents() {
    receiver = await startReceiver();
    const setup = await setUp(receiver.url);
    const first = await connect(setup.harness, 'user-first');
    await setup.dispatcher.dispatchDue();
    receiver.status = 500;
    const second = await connect(setup.harness, 'user-second');
    const failedAt = setup.clock.now();
    await setup.dispatcher.dispatchDue();
    receiver.status = 204;
    setup.clock.advance(retryDelayMs(1, 0.5) + ROUND_TRIP_MS);
    await setup.dispatcher.dispatchDue();
    return { ...setup, first, second, failedAt };
  }

  it('filters by connection, outcome, event and type', async () => {
    const { first, second } = await twoEvents();
    expect((await deliveries()).data).toHaveLength(3);

    const ofSecond = (await deliveries(`?connection_id=${second}`)).data;
    expect(ofSecond.map((d) => d.outcome)).toEqual(['delivered', 'failed']);
    const failed = (await deliveries('?outcome=failed')).data;
    expect(failed).toMatchObject([{ connection_id: second, response_status: 500 }]);
    const eventId = failed[0]?.event_id ?? '';
    expect((await deliveries(`?event_id=${eventId}`)).data).toHaveLength(2);
    expect((await deliveries('?event_type=connection.created')).data).toHaveLength(3);
    expect((await deliveries('?event_type=connection.deleted')).data).toEqual([]);
    expect((await deliveries(`?connection_id=${first}&outcome=delivered`)).data).toHaveLength(1);
  });

  it('filters by start time: since included, until excluded', async () => {
    const { failedAt } = await twoEvents();
    const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    expect((await deliveries(`?until=${at(failedAt)}`)).data).toHaveLength(1);
    const since = (await deliveries(`?since=${at(failedAt)}`)).data;
    expect(since.map((d) => d.outcome)).toEqual(['delivered', 'failed']);
    const window = (await deliveries(`?since=${at(failedAt)}&until=${at(failedAt + 1)}`)).data;
    expect(window.map((d) => d.outcome)).toEqual(['failed']);
  });

  it('pages newest first with a cursor', async () => {
    await twoEvents();
    const all = (await deliveries()).data.map((d) => d.id);
    const one = await deliveries('?limit=2');
    expect(one.data.map((d) => d.id)).toEqual(all.slice(0, 2));
    expect(one.next_cursor).toEqual(expect.any(String));
    const two = await deliveries(`?limit=2&cursor=${one.next_cursor}`);
    expect(two.data.map((d) => d.id)).toEqual(all.slice(2));
    expect(two.next_cursor).toBeNull();
  });
});

describe('GET /webhooks/deliveries refuses', () => {
  beforeEachHarness();

  for (const [what, query] of [
    ['an unknown outcome', '?outcome=retrying'],
    ['an unknown event type', '?event_type=connection.exploded'],
    ['an event id of another kind', '?event_id=conn_0000000000000000000000000'],
    ['a since that is not a time', '?since=yesterday'],
    ['a since after its until', '?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z'],
    ['a limit out of range', '?limit=0'],
    ['a cursor it did not issue', '?cursor=bm90LWEtY3Vyc29y'],
    ['an unknown parameter', '?status=failed'],
  ] as const) {
    it(`${what} with invalid_request`, async () => {
      const response = await backendGet(harness as Harness, `/webhooks/deliveries${query}`);
      expect(await codeOf(response, 400)).toBe('invalid_request');
    });
  }

  it('a caller without the secret key with unauthorized', async () => {
    const active = harness as Harness;
    const response = await active.app.request(active.url('/webhooks/deliveries'));
    expect(await codeOf(response, 401)).toBe('unauthorized');
  });
});

describe('redelivery', () => {
  /** An event given up after one attempt, answered 500. */
  async function givenUp() {
    receiver = await startReceiver();
    receiver.status = 500;
    const setup = await setUp(receiver.url, { maxAttempts: 1 });
    await connect(setup.harness);
    expect(await setup.dispatcher.dispatchDue()).toMatchObject({ failed: 1 });
    const first = await receiver.next();
    const [attempt] = (await deliveries()).data;
    return { ...setup, first, attempt: attempt as WebhookDelivery };
  }

  it('sends a given-up event again, with the same webhook-id, as a redelivery', async () => {
    const { dispatcher, clock, first, attempt } = await givenUp();
    (receiver as Receiver).status = 204;
    const response = await redeliver(attempt.event_id);
    expect(response.status).toBe(202);
    expect((await response.json()) as WebhookEventState).toEqual({
      id: attempt.event_id,
      type: 'connection.created',
      connection_id: attempt.connection_id,
      status: 'pending',
      attempts: 1,
      next_attempt_at: expect.any(String),
    });

    clock.advance(1);
    expect(await dispatcher.dispatchDue()).toMatchObject({ delivered: 1 });
    const again = await (receiver as Receiver).next();
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.body).toBe(first.body);
    expect(verify(again)).toMatchObject({ type: 'connection.created' });
    expect((await deliveries()).data[0]).toMatchObject({
      event_id: attempt.event_id,
      attempt: 2,
      outcome: 'delivered',
      redelivery: true,
    });
  });

  it('is named by a delivery id as well as by the event id', async () => {
    const { dispatcher, clock, first, attempt } = await givenUp();
    expect((await redeliver(attempt.id)).status).toBe(202);
    clock.advance(1);
    await dispatcher.dispatchDue();
    expect((await (receiver as Receiver).next()).headers['webhook-id']).toBe(
      first.headers['webhook-id'],
    );
  });

  it('gives a redelivered event its retry budget again', async () => {
    const { harness, clock } = await givenUp();
    const dispatcher = new WebhookDispatcher({
      store: harness.store,
      endpoint: { url: (receiver as Receiver).url, secret: SECRET },
      logger: createLogger({ sink: () => {} }),
      clock: clock.now,
      random: () => 0.5,
      maxAttempts: 2,
    });
    const [attempt] = (await deliveries()).data;
    await redeliver(attempt?.event_id ?? '');
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await deliveries()).data[0]).toMatchObject({
      attempt: 2,
      redelivery: true,
      next_attempt_at: expect.any(String),
    });
  });

  it('sends a delivered event again', async () => {
    receiver = await startReceiver();
    const { harness, dispatcher, clock } = await setUp(receiver.url);
    await connect(harness);
    await dispatcher.dispatchDue();
    const first = await receiver.next();
    const eventId = String(first.headers['webhook-id']);
    const response = await redeliver(eventId);
    expect(((await response.json()) as WebhookEventState).status).toBe('pending');
    clock.advance(1);
    await dispatcher.dispatchDue();
    expect((await receiver.next()).headers['webhook-id']).toBe(eventId);
  });

  it('is recorded in the operations log', async () => {
    const { harness, attempt } = await givenUp();
    await redeliver(attempt.event_id);
    const response = await backendGet(harness, `/logs?connection_id=${attempt.connection_id}`);
    const { data } = (await response.json()) as {
      data: { type: string; details?: Record<string, unknown> }[];
    };
    expect(data.filter((entry) => entry.type === 'webhook.redelivery_requested')).toMatchObject([
      { details: { event_id: attempt.event_id, event_type: 'connection.created', attempts: 1 } },
    ]);
  });

  it('wakes a started dispatcher once queued', async () => {
    receiver = await startReceiver();
    let dispatcher: WebhookDispatcher | undefined;
    // The app wakes the dispatcher, as `serve()` wires them.
    harness = await startHarness({
      env: { ...WEBHOOK_ENV, WEBHOOK_URL: receiver.url },
      app: { onWebhookQueued: () => dispatcher?.wake() },
    });
    const started = new WebhookDispatcher({
      store: harness.store,
      endpoint: { url: receiver.url, secret: SECRET },
      logger: createLogger({ sink: () => {} }),
      // Far longer than the test: only the wake-up can send the redelivery in time.
      pollIntervalMs: 60 * 60 * 1000,
    });
    dispatcher = started;
    try {
      started.start();
      await connect(harness, 'user-woken');
      const eventId = String((await receiver.next()).headers['webhook-id']);
      expect((await redeliver(eventId)).status).toBe(202);
      expect((await receiver.next()).headers['webhook-id']).toBe(eventId);
    } finally {
      await started.stop();
    }
  });
});

describe('POST /webhooks/deliveries/:id/redeliver refuses', () => {
  beforeEachHarness();

  it('an event id that names no event with invalid_request', async () => {
    const response = await redeliver('evt_0000000000aaaaaaaaaaaaaaaa');
    expect(await codeOf(response, 400)).toBe('invalid_request');
  });

  it('a delivery id that names no delivery with invalid_request', async () => {
    const response = await redeliver('whd_0000000000aaaaaaaaaaaaaaaa');
    expect(await codeOf(response, 400)).toBe('invalid_request');
  });

  it('an id of another kind with invalid_request', async () => {
    const response = await redeliver('conn_0000000000aaaaaaaaaaaaaaaa');
    expect(await codeOf(response, 400)).toBe('invalid_request');
  });

  it('a caller without the secret key with unauthorized', async () => {
    const response = await redeliver('evt_0000000000aaaaaaaaaaaaaaaa', null);
    expect(await codeOf(response, 401)).toBe('unauthorized');
  });
});

/** A harness with webhooks configured, for the refusal tests, which deliver nothing. */
function beforeEachHarness(): void {
  beforeEach(async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
  });
}
