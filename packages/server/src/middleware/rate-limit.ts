import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { Store } from '../store/store.js';

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
 * A token bucket per client, in memory. Used on SQLite, where one process serves a database
 * file (SQLite cannot be shared by replicas on several machines), so its memory sees every
 * request.
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

/** Options of {@link sharedRateLimit}. */
export interface SharedRateLimitOptions extends Omit<RateLimitOptions, 'maxKeys'> {
  /** Names the limiter, so that limits on different paths count apart. */
  name: string;
  /** Counts a request in a window and returns the window's count (the store's). */
  counter: { hit(key: string, windowStart: number): Promise<number> };
}

const WINDOW_MS = 60_000;
const MAX_BLOCKED = 10_000;

/**
 * A fixed one-minute window per client, counted in the store, so that every replica on one
 * PostgreSQL database sees the same count (DESIGN §4.11): at most `perMinute` requests per
 * window across all of them. One atomic upsert per request; a client this replica has seen
 * over the limit is refused from memory until its window ends, so a flood costs the database
 * one statement per replica and window, not one per request.
 * Over the limit: `429 rate_limited` with `Retry-After` (the seconds left in the window).
 *
 * @throws TypeError when `perMinute` is not a positive integer.
 */
export function sharedRateLimit(options: SharedRateLimitOptions): MiddlewareHandler {
  const { perMinute, key, clock = Date.now, name, counter } = options;
  if (!Number.isInteger(perMinute) || perMinute < 1)
    throw new TypeError('sharedRateLimit needs a positive integer perMinute');
  // Clients over the limit in `blockedWindow`; forgotten together when the window moves on.
  let blockedWindow = -1;
  const blocked = new Set<string>();

  const refuse = (now: number, windowStart: number) =>
    new ApiError('rate_limited', undefined, {
      headers: {
        'Retry-After': String(Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000))),
      },
    });

  return async (c, next) => {
    const now = clock();
    const windowStart = now - (now % WINDOW_MS);
    if (windowStart !== blockedWindow) {
      blockedWindow = windowStart;
      blocked.clear();
    }
    const id = key(c);
    if (blocked.has(id)) throw refuse(now, windowStart);
    const count = await counter.hit(`${name}:${id}`, windowStart);
    if (count > perMinute) {
      // Bounded: past the cap, further clients over the limit are refused by the store's count.
      if (blocked.size < MAX_BLOCKED) blocked.add(id);
      throw refuse(now, windowStart);
    }
    await next();
  };
}

/**
 * The limiter for `store`: shared through the database on PostgreSQL (several replicas), in
 * memory on SQLite (one process).
 */
export function storeRateLimit(
  store: Pick<Store, 'dialect' | 'rateLimits'>,
  options: Omit<SharedRateLimitOptions, 'counter'>,
): MiddlewareHandler {
  if (store.dialect === 'postgres')
    return sharedRateLimit({ ...options, counter: store.rateLimits });
  const { name: _name, ...local } = options;
  return rateLimit(local);
}
