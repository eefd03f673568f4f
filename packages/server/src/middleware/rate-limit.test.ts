import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { rateLimit, sharedRateLimit } from './rate-limit.js';

function app(perMinute: number, clock: () => number, maxKeys?: number) {
  const hono = new Hono();
  hono.onError((error, c) =>
    error instanceof ApiError
      ? c.json({ code: error.code }, error.status, error.headers)
      : c.text('', 500),
  );
  hono.use(
    rateLimit({
      perMinute,
      key: (c) => c.req.header('x-peer') ?? '',
      clock,
      ...(maxKeys ? { maxKeys } : {}),
    }),
  );
  hono.get('/', (c) => c.text('ok'));
  return (peer: string) => hono.request('/', { headers: { 'x-peer': peer } });
}

describe('rateLimit', () => {
  it('allows a burst of perMinute, then answers 429 rate_limited with Retry-After', async () => {
    const now = 1_000_000;
    const request = app(2, () => now);
    expect((await request('a')).status).toBe(200);
    expect((await request('a')).status).toBe(200);
    const limited = await request('a');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ code: 'rate_limited' });
    expect(limited.headers.get('retry-after')).toBe('30');
  });

  it('refills with time and keeps clients apart', async () => {
    let now = 0;
    const request = app(1, () => now);
    expect((await request('a')).status).toBe(200);
    expect((await request('a')).status).toBe(429);
    expect((await request('b')).status).toBe(200);
    now += 60_000;
    expect((await request('a')).status).toBe(200);
  });

  it('ignores a clock stepping backwards', async () => {
    let now = 120_000;
    const request = app(1, () => now);
    expect((await request('a')).status).toBe(200);
    now = 0;
    expect((await request('a')).status).toBe(429);
    now = 180_000;
    expect((await request('a')).status).toBe(200);
  });

  it('keeps at most maxKeys buckets', async () => {
    const request = app(1, () => 0, 2);
    await request('a');
    await request('b');
    await request('c');
    // `a` was forgotten to make room: it starts over with a full bucket.
    expect((await request('a')).status).toBe(200);
  });
});

/** An app limited by `sharedRateLimit` over a counter that records what reached it. */
function sharedApp(perMinute: number, clock: () => number) {
  const counts = new Map<string, { windowStart: number; count: number }>();
  const hits: string[] = [];
  const counter = {
    async hit(key: string, windowStart: number) {
      hits.push(key);
      const current = counts.get(key);
      const next =
        current && current.windowStart >= windowStart
          ? { ...current, count: current.count + 1 }
          : { windowStart, count: 1 };
      counts.set(key, next);
      return next.count;
    },
  };
  const hono = new Hono();
  hono.onError((error, c) =>
    error instanceof ApiError
      ? c.json({ code: error.code }, error.status, error.headers)
      : c.text('', 500),
  );
  hono.use(
    sharedRateLimit({
      name: 'poll',
      perMinute,
      key: (c) => c.req.header('x-peer') ?? '',
      clock,
      counter,
    }),
  );
  hono.get('/', (c) => c.text('ok'));
  return {
    hits,
    request: (peer: string) => hono.request('/', { headers: { 'x-peer': peer } }),
  };
}

describe('sharedRateLimit', () => {
  it('allows perMinute in a window, then answers 429 rate_limited with the seconds left in it', async () => {
    const now = 60_000 * 1000 + 15_000;
    const { request } = sharedApp(2, () => now);
    expect((await request('a')).status).toBe(200);
    expect((await request('a')).status).toBe(200);
    const limited = await request('a');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ code: 'rate_limited' });
    expect(limited.headers.get('retry-after')).toBe('45');
  });

  it('counts under the limiter name and client, and starts again in the next window', async () => {
    let now = 0;
    const { request, hits } = sharedApp(1, () => now);
    expect((await request('a')).status).toBe(200);
    expect((await request('b')).status).toBe(200);
    expect((await request('a')).status).toBe(429);
    expect(hits).toEqual(['poll:a', 'poll:b', 'poll:a']);
    now = 60_000;
    expect((await request('a')).status).toBe(200);
  });

  it('refuses a client it saw over the limit from memory, without counting in the store', async () => {
    const { request, hits } = sharedApp(1, () => 5_000);
    await request('a');
    await request('a');
    const before = hits.length;
    expect((await request('a')).status).toBe(429);
    expect((await request('a')).status).toBe(429);
    expect(hits).toHaveLength(before);
  });

  it('refuses a perMinute that is not a positive integer', () => {
    const counter = { hit: async () => 1 };
    expect(() => sharedRateLimit({ name: 'x', perMinute: 0.5, key: () => '', counter })).toThrow(
      TypeError,
    );
  });
});
