import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebhookEvent } from './api-types.js';
import { PingOneConnect } from './client.js';
import {
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationErrorCode,
} from './webhooks.js';

const NOW = new Date('2030-01-02T03:04:05Z');
const nowSeconds = NOW.getTime() / 1000;

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const secret = newSecret();

const event: WebhookEvent = {
  type: 'connection.created',
  timestamp: NOW.toISOString(),
  data: {
    connection_id: 'conn_01J9Z8',
    integration_id: 'pingone',
    end_user: { id: 'user-42', email: 'ada@example.com' },
    organization: null,
    status: 'active',
    status_reason: null,
    reauth_by: '2026-07-01T00:00:00.000Z',
  },
};
const body = JSON.stringify(event);

/** Headers as the server sends them, signed by the Standard Webhooks library. */
function signed(
  options: { payload?: string; key?: string; id?: string; at?: number } = {},
): Record<string, string> {
  const { payload = body, key = secret, id = 'msg_2Q5xd', at = nowSeconds } = options;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': new Webhook(key).sign(id, new Date(at * 1000), payload),
  };
}

function refusal(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('verification passed');
}

function expectRefused(run: () => unknown, code: WebhookVerificationErrorCode): void {
  const error = refusal(run);
  expect(error.code).toBe(code);
  expect(error.name).toBe('WebhookVerificationError');
}

beforeEach(() => {
  // Only the clock is faked: verification reads Date.now() and nothing here waits on a timer.
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('verifyWebhook accepts', () => {
  it('an event signed with the Standard Webhooks library and returns it parsed', () => {
    expect(verifyWebhook({ secret, headers: signed(), body })).toEqual(event);
  });

  it('a connect.failed event, which names no connection for a new one', () => {
    const failed: WebhookEvent = {
      type: 'connect.failed',
      timestamp: NOW.toISOString(),
      data: {
        connection_id: null,
        integration_id: 'pingone',
        end_user: { id: 'user-42' },
        organization: null,
        attempt_id: 'att_01J9Z8',
        error: { code: 'access_denied', message: 'The sign-in was declined.' },
      },
    };
    const payload = JSON.stringify(failed);
    expect(verifyWebhook({ secret, headers: signed({ payload }), body: payload })).toEqual(failed);
  });

  it('a signature computed by hand as base64 HMAC-SHA256 of id.timestamp.body', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key)
      .update(`msg_1.${nowSeconds}.${body}`)
      .digest('base64');
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(nowSeconds),
      'webhook-signature': `v1,${signature}`,
    };
    expect(verifyWebhook({ secret, headers, body })).toEqual(event);
  });

  it('the raw body as a Buffer', () => {
    expect(verifyWebhook({ secret, headers: signed(), body: Buffer.from(body) })).toEqual(event);
  });

  it('headers as a fetch Headers object', () => {
    expect(verifyWebhook({ secret, headers: new Headers(signed()), body })).toEqual(event);
  });

  it('header names in any case, as Node frameworks may pass them', () => {
    const headers = Object.fromEntries(
      Object.entries(signed()).map(([name, value]) => [name.toUpperCase(), [value]]),
    );
    expect(verifyWebhook({ secret, headers, body })).toEqual(event);
  });

  it('one matching signature among several, as during a secret rotation', () => {
    const headers = signed();
    headers['webhook-signature'] =
      `${signed({ key: newSecret() })['webhook-signature']} ${headers['webhook-signature']}`;
    expect(verifyWebhook({ secret, headers, body })).toEqual(event);
  });

  it('a timestamp exactly at the edge of the tolerance, in both directions', () => {
    expect(verifyWebhook({ secret, headers: signed({ at: nowSeconds - 300 }), body })).toEqual(
      event,
    );
    expect(verifyWebhook({ secret, headers: signed({ at: nowSeconds + 300 }), body })).toEqual(
      event,
    );
  });

  it('through the client, with the webhookSecret given to the constructor', () => {
    const client = new PingOneConnect({
      secretKey: 'sk_test',
      host: 'http://127.0.0.1:1',
      webhookSecret: secret,
    });
    expect(client.verifyWebhook(signed(), body)).toEqual(event);
  });
});

describe('verifyWebhook rejects', () => {
  it('a tampered body', () => {
    const tampered = body.replace('user-42', 'user-43');
    expectRefused(
      () => verifyWebhook({ secret, headers: signed(), body: tampered }),
      'invalid_signature',
    );
  });

  it('a body re-serialised after parsing', () => {
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expectRefused(
      () => verifyWebhook({ secret, headers: signed(), body: reserialised }),
      'invalid_signature',
    );
  });

  it('a signature made with another secret', () => {
    expectRefused(
      () => verifyWebhook({ secret, headers: signed({ key: newSecret() }), body }),
      'invalid_signature',
    );
  });

  it('a valid signature replayed under another webhook-id', () => {
    const headers = { ...signed({ id: 'msg_original' }), 'webhook-id': 'msg_replayed' };
    expectRefused(() => verifyWebhook({ secret, headers, body }), 'invalid_signature');
  });

  it('a valid signature moved to another timestamp', () => {
    const headers = { ...signed({ at: nowSeconds - 10 }), 'webhook-timestamp': String(nowSeconds) };
    expectRefused(() => verifyWebhook({ secret, headers, body }), 'invalid_signature');
  });

  it('a signature of an unknown version', () => {
    const headers = signed();
    headers['webhook-signature'] = headers['webhook-signature']!.replace(/^v1,/, 'v2,');
    expectRefused(() => verifyWebhook({ secret, headers, body }), 'invalid_signature');
  });

  it('a stale timestamp', () => {
    expectRefused(
      () => verifyWebhook({ secret, headers: signed({ at: nowSeconds - 301 }), body }),
      'invalid_timestamp',
    );
  });

  it('a timestamp from the future', () => {
    expectRefused(
      () => verifyWebhook({ secret, headers: signed({ at: nowSeconds + 301 }), body }),
      'invalid_timestamp',
    );
  });

  it('a timestamp outside a tolerance narrower than the default', () => {
    const headers = signed({ at: nowSeconds - 31 });
    expectRefused(
      () => verifyWebhook({ secret, headers, body, toleranceSeconds: 30 }),
      'invalid_timestamp',
    );
  });

  it('a timestamp that is not a number of seconds', () => {
    const headers = { ...signed(), 'webhook-timestamp': NOW.toISOString() };
    expectRefused(() => verifyWebhook({ secret, headers, body }), 'invalid_timestamp');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'a request without the %s header',
    (name) => {
      const headers: Record<string, string> = signed();
      delete headers[name];
      expectRefused(() => verifyWebhook({ secret, headers, body }), 'missing_header');
    },
  );

  it('a repeated signature header', () => {
    const headers = {
      ...signed(),
      'webhook-signature': [signed()['webhook-signature']!, 'v1,AAAA'],
    };
    expectRefused(() => verifyWebhook({ secret, headers, body }), 'missing_header');
  });

  it('a correctly signed body that is not JSON', () => {
    const payload = 'not json';
    expectRefused(
      () => verifyWebhook({ secret, headers: signed({ payload }), body: payload }),
      'invalid_payload',
    );
  });

  it('a correctly signed JSON body that is not an event', () => {
    const payload = JSON.stringify({ hello: 'world' });
    expectRefused(
      () => verifyWebhook({ secret, headers: signed({ payload }), body: payload }),
      'invalid_payload',
    );
  });

  it('without naming the secret or the expected signature in the error', () => {
    const error = refusal(() =>
      verifyWebhook({ secret, headers: signed({ key: newSecret() }), body }),
    );
    const expected = signed()['webhook-signature']!.slice('v1,'.length);
    expect(`${error.message} ${String(error.cause)}`).not.toContain(secret.slice('whsec_'.length));
    expect(`${error.message} ${String(error.cause)}`).not.toContain(expected);
  });
});

describe('verifyWebhook misuse', () => {
  it.each([
    ['no whsec_ prefix', secret.slice('whsec_'.length)],
    ['an empty key', 'whsec_'],
    ['a key that is not base64', 'whsec_not base64!'],
  ])('throws TypeError for a secret with %s', (_, badSecret) => {
    expect(() => verifyWebhook({ secret: badSecret, headers: signed(), body })).toThrow(TypeError);
  });

  it('throws TypeError for a parsed body', () => {
    const parsed = JSON.parse(body) as unknown as string;
    expect(() => verifyWebhook({ secret, headers: signed(), body: parsed })).toThrow(TypeError);
  });

  it('throws TypeError for a tolerance wider than five minutes', () => {
    expect(() => verifyWebhook({ secret, headers: signed(), body, toleranceSeconds: 301 })).toThrow(
      TypeError,
    );
  });

  it('throws TypeError from a client built without webhookSecret', () => {
    const client = new PingOneConnect({ secretKey: 'sk_test', host: 'http://127.0.0.1:1' });
    expect(() => client.verifyWebhook(signed(), body)).toThrow(TypeError);
  });

  it('throws TypeError when the client is given a malformed webhookSecret', () => {
    expect(
      () =>
        new PingOneConnect({
          secretKey: 'sk_test',
          host: 'http://127.0.0.1:1',
          webhookSecret: 'secret',
        }),
    ).toThrow(TypeError);
  });
});
