import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests a client may make in a burst; it regains them at this many per minute. */
  perMinute: number;
  /** Who a request counts against, usually the client address. */
  key: (c: Context) => string;
  /** Milliseconds since the epoch; injectable so tests move time explicitly. */
  clock?: () => number;
  /** Buckets kept at most; full buckets are dropped first when it is reached. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per client, in memory: each replica limits on its own, which is enough to
 * blunt floods of `/oauth/*` and attempt polling without a shared store.
 * Over the limit: `429 rate_limited` with `Retry-After`.
 *
 * @throws TypeError when `perMinute` is not a positive number.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { perMinute, key, clock = Date.now, maxKeys = 10_000 } = options;
  if (!(perMinute > 0)) throw new TypeError('rateLimit needs a positive perMinute');
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, now: number) => {
    // A wall clock stepped backwards must not take tokens away.
    if (now <= bucket.updatedAt) return;
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
  };

  const evict = (now: number) => {
    for (const [id, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= perMinute) buckets.delete(id);
    }
    // Still full of active clients: forget the oldest rather than grow without bound.
    for (const id of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(id);
    }
  };

  return async (c, next) => {
    const now = clock();
    const id = key(c);
    let bucket = buckets.get(id);
    if (!bucket) {
      if (buckets.size >= maxKeys) evict(now);
      bucket = { tokens: perMinute, updatedAt: now };
      buckets.set(id, bucket);
    }
    refill(bucket, now);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      throw new ApiError('rate_limited', undefined, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    bucket.tokens -= 1;
    await next();
  };
}
