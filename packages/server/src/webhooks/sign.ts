import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one delivery. */
export interface SignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Signs deliveries the Standard Webhooks way: `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` under the `whsec_…` secret, which any Standard Webhooks verifier (the
 * Node client's `verifyWebhook` among them) checks.
 */
export class WebhookSigner {
  readonly #webhook: Webhook;

  /** @throws Error when `secret` is not a `whsec_` base64 secret (the config checks it first). */
  constructor(secret: string) {
    this.#webhook = new Webhook(secret);
  }

  /** The headers for `body` sent as event `id` at `sentAt`. */
  sign(id: string, sentAt: Date, body: string): SignatureHeaders {
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': this.#webhook.sign(id, sentAt, body),
    };
  }
}
