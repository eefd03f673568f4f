/**
 * Resolves after `ms`, or rejects as soon as `signal` aborts, so that a disposed attempt leaves
 * no timer behind.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * How often the element looks at its popup and asks the server about the attempt. Not part of
 * the public API: the browser tests shorten the intervals and count pending sleeps.
 *
 * @internal
 */
export const timing = {
  /** How often `popup.closed` is read; a popup severed by COOP reads closed too. */
  closedCheckMs: 500,
  /** Status polls once the popup closed, before the element reports `pingone-connect-close`. */
  gracePolls: 4,
  gracePollMs: 750,
  /** Then a low-rate poll, for a result that comes late, until the session expires. */
  latePollMs: 3000,
  sleep,
};
