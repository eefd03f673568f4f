// A stand-in for the proxy's `Retry-After` wait (`AppOptions.sleep`): it records each wait asked
// for and ends it at once, or runs what a test scripts for it, so no test waits on the clock.
import type { Sleep } from '../src/proxy/sleep.js';

/** What a scripted wait does; it may end the wait (resolve) or outlast it (see {@link untilAborted}). */
export type WaitScript = (ms: number, signal: AbortSignal) => Promise<void>;

/** A recording {@link Sleep}. */
export interface RecordingSleep {
  readonly sleep: Sleep;
  /** Every wait asked for, in milliseconds, in order. */
  readonly waits: number[];
  /** Replaces what a wait does; the default ends it at once. */
  script(next: WaitScript): void;
  /** Forgets the waits and ends them at once again. */
  reset(): void;
}

const endAtOnce: WaitScript = async () => {};

/** A wait that ends only when the caller goes away, rejecting as a real one does. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function recordingSleep(): RecordingSleep {
  const waits: number[] = [];
  let current = endAtOnce;
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return current(ms, signal);
    },
    script(next) {
      current = next;
    },
    reset() {
      waits.length = 0;
      current = endAtOnce;
    },
  };
}
