import type { LogEntry } from './log-entry.js';

/** When a batch of operations-log rows written outside any transaction commits. */
export interface LogBatchLimits {
  /** The longest a queued row waits for its commit, in milliseconds. */
  readonly maxDelayMs: number;
  /** A batch of this many rows commits at once, without waiting for the delay. */
  readonly maxRows: number;
}

/**
 * 50 ms bounds what a power loss can take (DESIGN §8: credentials stay durable, these rows
 * are no credential) and turns one fsync per proxied call into one per batch under load.
 */
export const LOG_BATCH_LIMITS: LogBatchLimits = { maxDelayMs: 50, maxRows: 100 };

/** Commits `rows` in one transaction, or none of them. */
export type WriteRows = (rows: readonly LogEntry[]) => Promise<void>;

interface Pending {
  readonly rows: LogEntry[];
  readonly settled: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function pending(): Pending {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const settled = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Each appender handles its row's outcome; one that does not must not stop the process.
  settled.catch(() => {});
  return { rows: [], settled, resolve, reject };
}

/**
 * Group commit for the operations-log rows that belong to no state change (a proxied call's
 * `proxy.request`): they queue here and commit together, one transaction per batch, when
 * {@link LogBatchLimits} say so, when {@link flush} is called (before a read, so a reader in
 * this process sees every row recorded before it asked) or on {@link close}. Batches commit one
 * after another, in the order their rows came. A failed batch is not retried: its rows' promises
 * reject, and whoever appended them reports them (a retry could not tell a batch that failed
 * from one that committed and then lost its answer, and would write those rows twice).
 */
export class LogBatch {
  readonly #write: WriteRows;
  readonly #limits: LogBatchLimits;
  #queued: Pending | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The last batch handed to {@link #write}, settled either way: it never rejects. */
  #written: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(write: WriteRows, limits: LogBatchLimits = LOG_BATCH_LIMITS) {
    this.#write = write;
    this.#limits = limits;
  }

  /**
   * Queues `entry`. The promise settles once its batch has committed (or failed): a caller
   * that answers a request does not wait for it.
   */
  append(entry: LogEntry): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The store is closed.'));
    const batch = (this.#queued ??= pending());
    batch.rows.push(entry);
    if (batch.rows.length >= this.#limits.maxRows) void this.flush();
    // Not unref'd: a process that ends without close() still commits what it queued.
    else this.#timer ??= setTimeout(() => void this.flush(), this.#limits.maxDelayMs);
    return batch.settled;
  }

  /** Commits what is queued now; resolves once every row appended before the call has settled. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queued;
    if (batch) {
      this.#queued = undefined;
      this.#written = this.#written
        .then(() => this.#write(batch.rows))
        .then(batch.resolve, batch.reject);
    }
    return this.#written;
  }

  /** Commits what is queued and refuses further rows; the store closes after it. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }
}
