import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from './api-types.js';
import type { PingOneConnect } from './client.js';
import { failure } from '../test/rejection.js';
import type { Stack } from '../test/stack.js';
import { startWebhookStack, type Delivery, type WebhookStack } from '../test/webhook-stack.js';

let hooks: WebhookStack;
let stack: Stack;
let client: PingOneConnect;
const nextDelivery = (): Promise<Delivery> => hooks.nextDelivery();

beforeAll(async () => {
  hooks = await startWebhookStack();
  ({ stack, client } = hooks);
});

afterAll(() => hooks?.close());

/**
 * The attempts of `eventId` once there are `count`: the server's dispatcher records an
 * attempt just after the receiver has answered it, so the log is read until it has.
 */
async function attemptsOf(eventId: string, count: number): Promise<WebhookDelivery[]> {
  for (let tries = 0; tries < 500; tries += 1) {
    const { data } = await client.listWebhookDeliveries({ eventId });
    if (data.length >= count) return data;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`event ${eventId} has fewer than ${count} attempts`);
}

/** Connects `endUserId` and returns the connection.created delivery's event id. */
async function delivered(endUserId: string) {
  const { connectionId } = await stack.connect({ session: { endUser: { id: endUserId } } });
  const delivery = await nextDelivery();
  return { connectionId, delivery, eventId: String(delivery.headers['webhook-id']) };
}

describe('listWebhookDeliveries', () => {
  it('lists the attempt of a delivered event with its status and timing', async () => {
    const { connectionId, eventId } = await delivered('user-deliveries');
    const [attempt] = await attemptsOf(eventId, 1);
    expect(attempt).toMatchObject({
      id: expect.stringMatching(/^whd_/),
      event_id: eventId,
      event_type: 'connection.created',
      connection_id: connectionId,
      attempt: 1,
      outcome: 'delivered',
      response_status: 204,
      error: null,
      next_attempt_at: null,
      redelivery: false,
    });
    expect(attempt?.duration_ms).toBeGreaterThanOrEqual(0);
    const { data } = await client.listWebhookDeliveries({
      connectionId,
      outcome: 'delivered',
      since: new Date(Date.parse(attempt?.started_at ?? '')),
    });
    expect(data.map((row) => row.id)).toEqual([attempt?.id]);
  });

  it('refuses a bad filter with invalid_request', async () => {
    const error = await failure(client.listWebhookDeliveries({ since: 'last tuesday' }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('refuses an invalid Date before calling', async () => {
    await expect(client.listWebhookDeliveries({ until: new Date(Number.NaN) })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('webhookDeliveries', () => {
  it('iterates every attempt across pages', async () => {
    const first = await delivered('user-iterate-1');
    const second = await delivered('user-iterate-2');
    await attemptsOf(first.eventId, 1);
    await attemptsOf(second.eventId, 1);
    const all = (await client.listWebhookDeliveries({ limit: 100 })).data.map((row) => row.id);
    const iterated: string[] = [];
    for await (const attempt of client.webhookDeliveries({ limit: 1 })) iterated.push(attempt.id);
    expect(iterated).toEqual(all);
  });
});

describe('redeliverWebhook', () => {
  it('sends a failed delivery again with the same webhook-id, and it verifies', async () => {
    hooks.answerWith(500);
    const { connectionId, delivery: first, eventId } = await delivered('user-redeliver');
    const [failed] = await attemptsOf(eventId, 1);
    expect(failed).toMatchObject({ outcome: 'failed', response_status: 500 });
    expect(failed?.next_attempt_at).toEqual(expect.any(String));

    hooks.answerWith(204);
    const queued = await client.redeliverWebhook(failed?.id ?? '');
    expect(queued).toMatchObject({ id: eventId, status: 'pending', attempts: 1 });
    const again = await nextDelivery();
    expect(again.headers['webhook-id']).toBe(eventId);
    expect(again.body.equals(first.body)).toBe(true);
    expect(client.verifyWebhook(again.headers, again.body)).toMatchObject({
      type: 'connection.created',
      data: { connection_id: connectionId },
    });
    const [redelivered] = await attemptsOf(eventId, 2);
    expect(redelivered).toMatchObject({ attempt: 2, outcome: 'delivered', redelivery: true });
  });

  it('rejects an id that names no event with invalid_request', async () => {
    const error = await failure(client.redeliverWebhook('evt_0000000000aaaaaaaaaaaaaaaa'));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});
