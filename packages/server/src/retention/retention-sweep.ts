import { giveWay } from '../give-way.js';
import type { Logger } from '../logger/logger.js';
import type { Store } from '../store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
// Rate-limit windows are one minute; a counter two windows old can no longer refuse anything.
const RATE_LIMIT_KEEP_MS = 2 * 60_000;

/** Options of {@link RetentionSweep}. */
export interface RetentionSweepOptions {
  readonly store: Pick<Store, 'retention' | 'rateLimits'>;
  readonly logger: Logger;
  /** `LOG_RETENTION_DAYS`; null keeps the logs forever (stale rate-limit counters still go). */
  readonly retentionDays: number | null;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
  /** How often `start()` sweeps. Default ten minutes. */
  readonly intervalMs?: number;
  /** Rows per delete statement. Default 1,000. */
  readonly batchSize?: number;
  /**
   * Awaited after each batch, before the next: where the sweep gives way to other work.
   * Default {@link giveWay}; tests pass a signal to act while a prune is half done.
   */
  readonly afterBatch?: () => Promise<void>;
}

/** What one sweep deleted. */
export interface RetentionReport {
  logs: number;
  deliveries: number;
  events: number;
  rateLimits: number;
}

/**
 * Deletes, every interval, the operations-log rows, webhook delivery attempts and finished
 * webhook events older than `LOG_RETENTION_DAYS`, and stale rate-limit counters. Batches of
 * `batchSize` rows, each its own short statement, with a turn of the event loop between them,
 * so no lock is held across the prune and requests are served between batches: a mint, a
 * callback or a log write waits for one batch at most. Several replicas may sweep at once; they delete disjoint rows or
 * find nothing, and the work is the same.
 *
 * Finished events (delivered, or failed for good) go with the logs: their payloads describe
 * end users, and keeping them forever would grow the outbox without bound. The delivery log
 * references them, so an event goes only once its last attempt has been pruned: one
 * redelivered recently stays, attempts and all, and can be redelivered again. Events still due
 * or being retried are never pruned, whatever their age.
 *
 * `tick()` runs one sweep (tests drive it with a fake clock); `start()` runs one every interval.
 */
export class RetentionSweep {
  readonly #options: RetentionSweepOptions;
  readonly #clock: () => number;
  readonly #batchSize: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<RetentionReport> | undefined;
  #stopped = false;

  /** @throws TypeError for a bad option. */
  constructor(options: RetentionSweepOptions) {
    const { batchSize = 1000, retentionDays } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new TypeError('batchSize must be a positive integer');
    if (retentionDays !== null && !(retentionDays > 0))
      throw new TypeError('retentionDays must be positive, or null to keep forever');
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#batchSize = batchSize;
  }

  /** One sweep: what it deleted. Stops between batches once {@link stop} is called. */
  async tick(): Promise<RetentionReport> {
    const { store, retentionDays } = this.#options;
    const now = this.#clock();
    const report: RetentionReport = { logs: 0, deliveries: 0, events: 0, rateLimits: 0 };
    report.rateLimits = await store.rateLimits.purgeBefore(now - RATE_LIMIT_KEEP_MS);
    if (retentionDays === null) return report;
    const before = now - retentionDays * DAY_MS;
    report.logs = await this.#drain((limit) => store.retention.pruneLogs(before, limit));
    // Attempts before their events: an event goes only once no attempt of it is left.
    report.deliveries = await this.#drain((limit) =>
      store.retention.pruneDeliveries(before, limit),
    );
    report.events = await this.#drain((limit) =>
      store.retention.pruneFinishedEvents(before, limit),
    );
    return report;
  }

  /** Runs `prune` batch after batch until a batch comes back short; the rows deleted. */
  async #drain(prune: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    while (!this.#stopped) {
      const deleted = await prune(this.#batchSize);
      total += deleted;
      if (deleted < this.#batchSize) break;
      await (this.#options.afterBatch ?? giveWay)();
    }
    return total;
  }

  /** Sweeps now and every interval until {@link stop}; a sweep still running is not doubled. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    const run = () => {
      this.#running ??= this.tick()
        .then((report) => {
          if (report.logs + report.deliveries + report.events > 0)
            this.#options.logger.info('retention.pruned', { ...report });
          return report;
        })
        .catch((error: unknown) => {
          this.#options.logger.warn('retention.prune_failed', { error });
          return { logs: 0, deliveries: 0, events: 0, rateLimits: 0 };
        })
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(run, this.#options.intervalMs ?? 10 * 60_000);
    this.#timer.unref();
    run();
  }

  /** Stops sweeping, once the batch in progress (if any) has finished. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
