import { afterEach, describe, expect, it } from 'vitest';
import { connect, refresh, useEmulator } from '../test/helpers.js';

describe('429 REQUEST_LIMITED with Retry-After from the token endpoint (PingOne rate-limiting)', () => {
  const emulator = useEmulator();

  afterEach(() => {
    emulator().faults.tokenRateLimit = null;
  });

  it('answers 429 with Retry-After and PingOne’s REQUEST_LIMITED body, and touches no token', async () => {
    const tokens = await connect(emulator());
    emulator().resetCounters();
    emulator().faults.tokenRateLimit = { retryAfter: 3 };

    const limited = await refresh(emulator(), tokens.refresh_token!);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({
      code: 'REQUEST_LIMITED',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      message: expect.any(String),
    });
    expect(emulator().tokenRequests('refresh_token')).toBe(1);

    emulator().faults.tokenRateLimit = null;
    expect((await refresh(emulator(), tokens.refresh_token!)).status).toBe(200);
  });

  it('limits a code exchange as well', async () => {
    emulator().faults.tokenRateLimit = { retryAfter: 0 };
    await expect(connect(emulator())).rejects.toThrow();
  });

  it('refuses a bad value for the switch with a TypeError', () => {
    expect(() => {
      emulator().faults.tokenRateLimit = { retryAfter: -1 };
    }).toThrow(TypeError);
  });
});
