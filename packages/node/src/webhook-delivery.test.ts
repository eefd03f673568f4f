import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PingOneConnect } from './client.js';
import { rejection } from '../test/rejection.js';
import type { Stack } from '../test/stack.js';
import { startWebhookStack, type Delivery, type WebhookStack } from '../test/webhook-stack.js';
import { verifyWebhook, WebhookVerificationError } from './webhooks.js';

let hooks: WebhookStack;
let stack: Stack;
let client: PingOneConnect;
const nextDelivery = (): Promise<Delivery> => hooks.nextDelivery();

beforeAll(async () => {
  hooks = await startWebhookStack();
  ({ stack, client } = hooks);
});

afterAll(() => hooks?.close());

describe('webhooks from a running server', () => {
  it('verifies the connection.created event and it carries no token', async () => {
    const { connectionId } = await stack.connect({ session: { endUser: { id: 'user-hooks' } } });
    const delivery = await nextDelivery();
    const event = client.verifyWebhook(delivery.headers, delivery.body);
    expect(event).toMatchObject({
      type: 'connection.created',
      data: {
        connection_id: connectionId,
        integration_id: 'pingone',
        end_user: { id: 'user-hooks' },
      },
    });
    const { credentials } = await client.getConnection(connectionId);
    expect(delivery.body.toString()).not.toContain(credentials.access_token);
  });

  it('verifies the connection.deleted event', async () => {
    const { connectionId } = await stack.connect({
      session: { endUser: { id: 'user-hooks-deleted' } },
    });
    const created = await nextDelivery();
    expect(client.verifyWebhook(created.headers, created.body).type).toBe('connection.created');
    const answer = await client.deleteConnection(connectionId);
    const delivery = await nextDelivery();
    // The webhook says what the answer said about PingOne's revocation.
    expect(client.verifyWebhook(delivery.headers, delivery.body)).toMatchObject({
      type: 'connection.deleted',
      data: {
        connection_id: connectionId,
        revoked: answer.revoked,
        not_revocable: answer.not_revocable,
      },
    });
  });
});

describe('verifyWebhook refuses a delivered event', () => {
  /** A fresh delivery from the running server: the connection.created of a new connection. */
  async function delivered(endUserId: string): Promise<Delivery> {
    await stack.connect({ session: { endUser: { id: endUserId } } });
    return nextDelivery();
  }

  /** The code `verify` fails with. */
  async function refusal(verify: () => unknown): Promise<string> {
    const error = await rejection(Promise.resolve().then(verify));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).code;
  }

  it('with a tampered body', async () => {
    const delivery = await delivered('user-hooks-tampered');
    const body = delivery.body.toString().replace('user-hooks-tampered', 'user-hooks-other');
    expect(await refusal(() => client.verifyWebhook(delivery.headers, body))).toBe(
      'invalid_signature',
    );
  });

  it('under a wrong secret', async () => {
    const delivery = await delivered('user-hooks-wrong-secret');
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const verify = () => verifyWebhook({ secret, headers: delivery.headers, body: delivery.body });
    expect(await refusal(verify)).toBe('invalid_signature');
  });

  it('presented again once its timestamp is stale', async () => {
    const delivery = await delivered('user-hooks-stale');
    const verify = () => client.verifyWebhook(delivery.headers, delivery.body);
    expect(verify().type).toBe('connection.created');
    // Ten minutes later, as a replay would arrive: the signature still matches, the time does not.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * 60 * 1000 });
    try {
      expect(await refusal(verify)).toBe('invalid_timestamp');
    } finally {
      vi.useRealTimers();
    }
  });
});
