import { Journal, type JournalEntry, type OperationEvent } from '../journal/journal.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger/logger.js';
import type { DeliveryResult } from '../store/deliveries.js';
import type { WebhookEventRecord } from '../store/outbox.js';
import type { Store } from '../store/store.js';
import { eventSubject } from './payload.js';
import { WebhookSigner } from './sign.js';

/** Options of {@link WebhookDispatcher}; only the store, endpoint and logger are required. */
export interface WebhookDispatcherOptions {
  readonly store: Store;
  /** `WEBHOOK_URL` and `WEBHOOK_SECRET`. */
  readonly endpoint: { readonly url: string; readonly secret: string };
  readonly logger: Logger;
  /** Milliseconds since the epoch: due times, backoff and the `webhook-timestamp`. Default `Date.now`. */
  readonly clock?: () => number;
  readonly fetch?: typeof fetch;
  /** Bound on each delivery. Default 10 s. */
  readonly timeoutMs?: number;
  /** How often `start()` looks for due events (retries, events of other replicas). Default 5 s. */
  readonly pollIntervalMs?: number;
  /** Attempts before an event is given up as failed. Default 8. */
  readonly maxAttempts?: number;
  /** A number in [0, 1) for the backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** What one delivery attempt did to its event: the receiver's side is in {@link DeliveryResult}. */
type Outcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retrying'; readonly error: string; readonly nextAttemptAt: number }
  | { readonly kind: 'failed'; readonly error: string };

/** What one {@link WebhookDispatcher.dispatchDue} did. */
export interface DispatchReport {
  readonly delivered: number;
  /** Failed attempts that will be tried again. */
  readonly retrying: number;
  /** Events given up after their last attempt. */
  readonly failed: number;
}

/** One attempt as made, before its outcome is recorded. */
interface Attempt {
  readonly event: WebhookEventRecord;
  readonly attempt: number;
  readonly startedAt: number;
  /** By the dispatcher's clock. */
  readonly durationMs: number;
  readonly result: DeliveryResult;
}

const BATCH = 20;
const FIRST_RETRY_MS = 5_000;
const BACKOFF_FACTOR = 4;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;

/**
 * The delay before attempt `attempts + 1`: 5 s × 4ⁿ, capped at 6 h, spread ±20 % so that events
 * that failed together are not retried together. With 8 attempts the last is about 7½ hours
 * after the first, long enough to ride out a receiver's deploy or outage.
 */
export function retryDelayMs(attempts: number, random: number): number {
  const base = Math.min(FIRST_RETRY_MS * BACKOFF_FACTOR ** (attempts - 1), MAX_RETRY_MS);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** A failed delivery, described without the URL or anything the receiver sent back. */
function describeFailure(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'timed out';
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return `network error ${cause.code}`;
  return 'network error';
}

/**
 * Delivers the webhook outbox (DESIGN §4.7) to `WEBHOOK_URL`, signed. Events are claimed with a
 * lease, so several dispatchers (replicas) never send one event at the same time, and an event
 * whose sender crashed is sent again once the lease ends: delivery is at least once, and
 * receivers deduplicate on `webhook-id`. A failed attempt (network error, timeout, any status
 * but 2xx) is retried with exponential backoff up to `maxAttempts`, then marked failed. Every
 * attempt goes to the delivery log (`webhook_deliveries`) and the operations log, in the
 * transaction that records its outcome on the event.
 *
 * `dispatchDue()` does one round; `start()` runs rounds every poll interval and on `wake()`.
 */
export class WebhookDispatcher {
  readonly #store: Store;
  readonly #url: string;
  readonly #signer: WebhookSigner;
  readonly #logger: Logger;
  readonly #journal: Journal;
  readonly #clock: () => number;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #pollIntervalMs: number;
  readonly #maxAttempts: number;
  readonly #random: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #round: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  /** @throws TypeError for a bad option. */
  constructor(options: WebhookDispatcherOptions) {
    const { timeoutMs = 10_000, pollIntervalMs = 5_000, maxAttempts = 8 } = options;
    for (const [name, value] of Object.entries({ timeoutMs, pollIntervalMs, maxAttempts })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new TypeError(`${name} must be a positive integer`);
      }
    }
    this.#store = options.store;
    this.#url = options.endpoint.url;
    this.#signer = new WebhookSigner(options.endpoint.secret);
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
    this.#journal = new Journal({ logger: options.logger, clock: this.#clock });
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = timeoutMs;
    this.#pollIntervalMs = pollIntervalMs;
    this.#maxAttempts = maxAttempts;
    this.#random = options.random ?? Math.random;
  }

  /** Claims the events due now and tries each once; resolves when all outcomes are recorded. */
  async dispatchDue(): Promise<DispatchReport> {
    const report = { delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const now = this.#clock();
      // The lease outlasts a delivery, so a live dispatcher always records its outcome first.
      const leaseUntil = now + 2 * this.#timeoutMs + 30_000;
      const events = await this.#store.outbox.claimDue(now, leaseUntil, BATCH);
      const outcomes = await Promise.all(events.map((event) => this.#deliver(event)));
      for (const outcome of outcomes) report[outcome] += 1;
      if (events.length < BATCH || this.#stopped) return report;
    }
  }

  /** Dispatches now and then every poll interval, until {@link stop}. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => this.wake(), this.#pollIntervalMs);
    this.#timer.unref();
    this.wake();
  }

  /** Runs a round soon: after a change that queued an event has committed. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#round) {
      this.#again = true;
      return;
    }
    this.#round = this.#rounds().finally(() => (this.#round = undefined));
  }

  /** Stops dispatching and waits for the deliveries in flight. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#round;
  }

  async #rounds(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.dispatchDue();
      } catch (error) {
        this.#logger.error('webhook.dispatch_failed', { error });
      }
    } while (this.#again && !this.#stopped);
  }

  async #deliver(event: WebhookEventRecord): Promise<Outcome['kind']> {
    const attempt = event.attempts + 1;
    const startedAt = this.#clock();
    let result: DeliveryResult;
    try {
      const response = await this.#fetch(this.#url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'pingone-connect-webhooks',
          ...this.#signer.sign(event.id, new Date(startedAt), event.payload),
        },
        body: event.payload,
      });
      // The body is never read: nothing the receiver says goes in the log.
      await response.body?.cancel();
      result = response.ok
        ? { outcome: 'delivered', responseStatus: response.status }
        : { outcome: 'failed', responseStatus: response.status, error: `HTTP ${response.status}` };
    } catch (thrown) {
      result = { outcome: 'error', error: describeFailure(thrown) };
    }
    const made: Attempt = {
      event,
      attempt,
      startedAt,
      durationMs: this.#clock() - startedAt,
      result,
    };
    if (result.outcome === 'delivered') return this.#record(made, { kind: 'delivered' });
    // A redelivery gets the whole retry budget and backoff again.
    const inSeries = attempt - event.attemptsBeforeRedelivery;
    if (inSeries >= this.#maxAttempts) {
      return this.#record(made, { kind: 'failed', error: result.error });
    }
    const nextAttemptAt = this.#clock() + retryDelayMs(inSeries, this.#random());
    return this.#record(made, { kind: 'retrying', error: result.error, nextAttemptAt });
  }

  /**
   * Stores the attempt, its outcome on the event and its operations-log entry together. An
   * outcome that lost its claim (a redelivery asked for while the attempt was in flight) leaves
   * the event as the redelivery queued it; the attempt is still logged.
   */
  async #record(done: Attempt, outcome: Outcome): Promise<Outcome['kind']> {
    const { event, attempt, startedAt, result } = done;
    const now = this.#clock();
    const deliveryId = newId('whd', startedAt);
    const details: Record<string, unknown> = {
      event_id: event.id,
      event_type: event.type,
      delivery_id: deliveryId,
      attempt,
      ...(result.outcome === 'error' ? {} : { status: result.responseStatus }),
    };
    let entry: {
      level: JournalEntry['level'];
      event: Extract<OperationEvent, `webhook.${string}`>;
      message: string;
    };
    switch (outcome.kind) {
      case 'delivered':
        entry = {
          level: 'info',
          event: 'webhook.delivered',
          message: `Webhook ${event.type} delivered.`,
        };
        break;
      case 'retrying':
        details.error = outcome.error;
        details.next_attempt_at = new Date(outcome.nextAttemptAt).toISOString();
        entry = {
          level: 'warn',
          event: 'webhook.attempt_failed',
          message: `Webhook ${event.type} not delivered (${outcome.error}); it will be retried.`,
        };
        break;
      case 'failed':
        details.error = outcome.error;
        entry = {
          level: 'error',
          event: 'webhook.failed',
          message: `Webhook ${event.type} not delivered after ${attempt} attempts (${outcome.error}); given up.`,
        };
        break;
    }
    await this.#store.transaction(async (trx) => {
      await trx.deliveries.insert({
        id: deliveryId,
        eventId: event.id,
        attempt,
        startedAt,
        durationMs: done.durationMs,
        result,
        nextAttemptAt: outcome.kind === 'retrying' ? outcome.nextAttemptAt : null,
        redelivery: event.redeliveryRequested,
      });
      if (outcome.kind === 'delivered') await trx.outbox.markDelivered(event, attempt, now);
      else if (outcome.kind === 'failed') {
        await trx.outbox.markFailed(event, attempt, now, outcome.error);
      } else {
        await trx.outbox.scheduleRetry(event, attempt, outcome.nextAttemptAt, outcome.error);
      }
      await this.#journal.record(trx, {
        ...entry,
        subject: eventSubject(event.payload),
        data: details,
      });
    });
    return outcome.kind;
  }
}
