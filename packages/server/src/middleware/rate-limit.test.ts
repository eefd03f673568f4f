import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { rateLimit } from './rate-limit.js';

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
