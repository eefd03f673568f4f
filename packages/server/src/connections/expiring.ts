import { giveWay } from '../give-way.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../logger/logger.js';
import type { Store } from '../store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of {@link ExpiringNotices}. */
export interface ExpiringNoticesOptions {
  readonly store: Store;
  /** Records `connection.expiring` (row, webhook, line) in the claim's transaction. */
  readonly journal: Journal;
  readonly logger: Logger;
  /** `EXPIRING_NOTICE_DAYS`: how long before `reauth_by` the notice goes. */
  readonly noticeDays: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
  /** How often `start()` sweeps. Default one minute. */
  readonly intervalMs?: number;
}

/** Connections claimed per query of a sweep. */
const BATCH = 50;

/**
 * Sends `connection.expiring` (DESIGN §4.10) `noticeDays` before a connection's `reauth_by`,
 * once for each `reauth_by` it warns of. A sweep reads the connections that are due, and
 * claims each one with a conditional update (`expiring_notified_for` = that `reauth_by`) in
 * the same transaction as the webhook in the outbox: the claim and the event commit together,
 * so a restart finds the notice sent or not sent, never half, and of several replicas
 * sweeping at once exactly one wins each claim.
 *
 * Keyed on `reauth_by` rather than the sign-on: with session validation (the default) it is
 * fixed by the sign-on, so the notice goes once per sign-on and a reconnect (a new sign-on)
 * re-arms it; without, it moves with every refresh (the refresh token's duration), and a
 * connection left idle again after a refresh is worth warning of again.
 *
 * `tick()` runs one sweep (tests drive it with a fake clock); `start()` runs one every interval.
 */
export class ExpiringNotices {
  readonly #options: ExpiringNoticesOptions;
  readonly #clock: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<number> | undefined;

  constructor(options: ExpiringNoticesOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** One sweep: the number of notices this call sent. */
  async tick(): Promise<number> {
    const { store, journal, noticeDays } = this.#options;
    const by = this.#clock() + noticeDays * DAY_MS;
    let sent = 0;
    for (;;) {
      const due = await store.connections.dueForExpiringNotice(by, BATCH);
      let claimed = 0;
      for (const candidate of due) {
        const { reauthBy } = candidate;
        if (reauthBy === null) continue;
        const won = await store.transaction(async (trx) => {
          const connection = await trx.connections.claimExpiringNotice(candidate.id, reauthBy);
          if (!connection) return false;
          await journal.record(trx, {
            event: 'connection.expiring',
            level: 'info',
            subject: { connection },
            message: `The connection is expected to stop working at ${new Date(reauthBy).toISOString()}; the end user should connect again before then.`,
            data: { reauth_by: new Date(reauthBy).toISOString() },
          });
          return true;
        });
        if (won) {
          sent += 1;
          claimed += 1;
        }
        // Each notice is a flushed commit: requests are served between them, not after all.
        await giveWay();
      }
      // A short page is the last; a page another sweep took all of is re-read, minus those.
      if (due.length < BATCH || claimed === 0) return sent;
    }
  }

  /** Sweeps every interval until {@link stop}; a sweep still running is not started twice. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.tick()
        .catch((error: unknown) => {
          this.#options.logger.warn('connection.expiring_sweep_failed', { error });
          return 0;
        })
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#options.intervalMs ?? 60_000);
    this.#timer.unref();
  }

  /** Stops sweeping, once the sweep in progress (if any) has finished. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
