import { isRecord } from '@pingone-connect/protocol';
import { Webhook, WebhookVerificationError as SignatureMismatch } from 'standardwebhooks';
import type { WebhookEvent } from './api-types.js';

/**
 * Why a webhook was refused. Answer any of them with a 400: the server retries with backoff,
 * and a genuine event signed with the current secret will verify on a later try.
 * - `missing_header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or repeated;
 * - `invalid_timestamp`: the timestamp is not a number or is outside the tolerance (replay protection);
 * - `invalid_signature`: no `v1` signature matches the body with this secret;
 * - `invalid_payload`: the signature matches but the body is not a webhook event.
 */
export type WebhookVerificationErrorCode =
  'missing_header' | 'invalid_timestamp' | 'invalid_signature' | 'invalid_payload';

/** Thrown by `verifyWebhook` when a request is not a genuine, fresh event from the server. */
export class WebhookVerificationError extends Error {
  readonly code: WebhookVerificationErrorCode;

  constructor(
    code: WebhookVerificationErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** Request headers as Node's `IncomingMessage.headers`, a plain object or a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

/** Arguments of the standalone {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The server's `WEBHOOK_SECRET` (`whsec_…`). */
  secret: string;
  headers: WebhookHeaders;
  /**
   * The raw request body, exactly as received: verify before parsing, since re-serialised JSON
   * does not match the signature.
   */
  body: string | Uint8Array;
  /**
   * How far, in seconds, the `webhook-timestamp` may be from now, either way. At most 300 (the
   * Standard Webhooks limit, which the underlying verifier enforces anyway); default 300.
   */
  toleranceSeconds?: number;
}

const MAX_TOLERANCE_SECONDS = 5 * 60;
const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
type SignedHeaders = Record<(typeof SIGNED_HEADERS)[number], string>;

/**
 * A verifier for one secret. Building it checks the secret, so a misconfigured secret fails at
 * start-up with a `TypeError` instead of refusing every event.
 */
export function webhookVerifier(
  secret: unknown,
): (options: Omit<VerifyWebhookOptions, 'secret'>) => WebhookEvent {
  if (typeof secret !== 'string' || !/^whsec_[A-Za-z\d+/]+={0,2}$/.test(secret)) {
    throw new TypeError(
      'The webhook secret must be the server\'s WEBHOOK_SECRET ("whsec_" and base64).',
    );
  }
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (error) {
    throw new TypeError('The webhook secret is not valid base64 after "whsec_".', { cause: error });
  }
  return ({ headers, body, toleranceSeconds = MAX_TOLERANCE_SECONDS }) => {
    if (
      !Number.isInteger(toleranceSeconds) ||
      toleranceSeconds <= 0 ||
      toleranceSeconds > MAX_TOLERANCE_SECONDS
    ) {
      throw new TypeError(
        `toleranceSeconds must be a whole number from 1 to ${MAX_TOLERANCE_SECONDS}.`,
      );
    }
    const payload = rawBody(body);
    const signed = signedHeaders(headers);
    checkTimestamp(signed['webhook-timestamp'], toleranceSeconds);
    try {
      webhook.verify(payload, signed, { jsonParse: false });
    } catch (error) {
      // Headers and timestamp are already checked, so the library's refusal is the signature's.
      if (error instanceof SignatureMismatch) {
        const message = 'No webhook signature matches this body and secret.';
        throw new WebhookVerificationError('invalid_signature', message, { cause: error });
      }
      throw error;
    }
    return parseEvent(payload);
  };
}

/**
 * Verifies a webhook from the server (Standard Webhooks: HMAC-SHA256 over
 * `id.timestamp.body`, compared in constant time) and returns its event. Throws
 * {@link WebhookVerificationError} for a request to refuse and `TypeError` for misuse (a
 * malformed secret, a parsed body instead of the raw one).
 *
 * @example
 * app.post('/webhooks/pingone', express.raw({ type: 'application/json' }), (req, res) => {
 *   const event = verifyWebhook({ secret: process.env.WEBHOOK_SECRET, headers: req.headers, body: req.body });
 *   res.sendStatus(204);
 * });
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookEvent {
  return webhookVerifier(options.secret)(options);
}

function rawBody(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new TypeError('body must be the raw request body (a string or bytes), not parsed JSON.');
}

function signedHeaders(headers: WebhookHeaders): SignedHeaders {
  const read = (name: string): string | readonly string[] | null | undefined =>
    headers instanceof Headers ? headers.get(name) : headerValue(headers, name);
  const signed = {} as SignedHeaders;
  for (const name of SIGNED_HEADERS) {
    const value = read(name);
    if (typeof value !== 'string' || value === '') {
      throw new WebhookVerificationError(
        'missing_header',
        `The ${name} header is missing or repeated.`,
      );
    }
    signed[name] = value;
  }
  return signed;
}

/** Reads a header from a plain object case-insensitively, as HTTP header names are. */
function headerValue(
  headers: Record<string, string | readonly string[] | undefined>,
  name: string,
): string | readonly string[] | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  if (key === undefined) return undefined;
  const value = headers[key];
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

function checkTimestamp(header: string, toleranceSeconds: number): void {
  if (!/^\d{1,15}$/.test(header)) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      'The webhook-timestamp header is not a Unix time in seconds.',
    );
  }
  const ageSeconds = Math.floor(Date.now() / 1000) - Number(header);
  if (Math.abs(ageSeconds) > toleranceSeconds) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      `The webhook timestamp is ${Math.abs(ageSeconds)} s ${ageSeconds > 0 ? 'old' : 'in the future'}; at most ${toleranceSeconds} s is accepted.`,
    );
  }
}

function parseEvent(payload: string): WebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch (error) {
    throw new WebhookVerificationError('invalid_payload', 'The webhook body is not JSON.', {
      cause: error,
    });
  }
  if (
    !isRecord(event) ||
    typeof event.type !== 'string' ||
    typeof event.timestamp !== 'string' ||
    !isRecord(event.data) ||
    // `connect.failed` names no connection unless it was a reconnect.
    !(
      typeof event.data.connection_id === 'string' ||
      (event.type === 'connect.failed' && event.data.connection_id === null)
    )
  ) {
    throw new WebhookVerificationError(
      'invalid_payload',
      'The webhook body is not a pingone-connect event.',
    );
  }
  return event as unknown as WebhookEvent;
}
