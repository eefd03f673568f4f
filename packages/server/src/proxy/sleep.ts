/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts. The proxy
 * waits out PingOne's `Retry-After` through this (`Services.sleep`), so that tests replace it
 * instead of waiting on the wall clock.
 */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** {@link Sleep} on the runtime's timers. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
