/**
 * Whether the proxy waits out a `429` from PingOne and calls again (DESIGN §4.10). PingOne
 * rejects requests over its rate limits with `429 REQUEST_LIMITED` and a `Retry-After` header,
 * "the delay in seconds indicating how long to wait before retrying the request"
 * (https://developer.pingidentity.com/pingone-api/platform/rate-limiting.html). An HTTP-date is
 * read as well, since RFC 9110 §10.2.3 allows either form.
 */

/**
 * The forwarded methods that may be sent twice: idempotent ones (RFC 9110 §9.2.2). POST and
 * PATCH never are: a 429 from somewhere on the way does not prove the first one did nothing.
 * OPTIONS would qualify, but the proxy does not forward it.
 */
const RETRIED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** The preferred HTTP-date form (IMF-fixdate, RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * How many milliseconds a `Retry-After` value asks for, counted from `now` for a date (a date
 * already past asks for none); null when the header is missing or unreadable.
 */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  if (!IMF_FIXDATE.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** `PROXY_RETRIES` and `PROXY_RETRY_MAX_WAIT_MS`. */
export interface RetryPolicy {
  readonly retries: number;
  readonly maxWaitMs: number;
}

/** What to do with a 429: wait and call again, or pass it through to the caller. */
export type RateLimitDecision =
  | { readonly retry: true; readonly waitMs: number }
  | {
      readonly retry: false;
      /**
       * `method`: not idempotent; `exhausted`: the retries are used up; `no_retry_after`: PingOne
       * said no (readable) time, so any wait would be a guess; `too_long`: PingOne asks for
       * longer than the bound, and the caller is better told at once than kept waiting.
       */
      readonly reason: 'method' | 'exhausted' | 'no_retry_after' | 'too_long';
    };

/** Decides about one 429 of a call that has already been retried `retriesDone` times. */
export function rateLimitDecision(input: {
  readonly method: string;
  readonly retryAfter: string | null;
  readonly retriesDone: number;
  readonly policy: RetryPolicy;
  readonly now: number;
}): RateLimitDecision {
  if (!RETRIED_METHODS.has(input.method)) return { retry: false, reason: 'method' };
  if (input.retriesDone >= input.policy.retries) return { retry: false, reason: 'exhausted' };
  const waitMs = retryAfterMs(input.retryAfter, input.now);
  if (waitMs === null) return { retry: false, reason: 'no_retry_after' };
  if (waitMs > input.policy.maxWaitMs) return { retry: false, reason: 'too_long' };
  return { retry: true, waitMs };
}
