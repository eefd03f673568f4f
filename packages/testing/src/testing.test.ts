import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { TestClock, emulatorEnv, freePort } from './index.js';

describe('freePort', () => {
  it('returns a loopback port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(port).toBeGreaterThan(0);
  });
});

describe('TestClock', () => {
  it('is real time until advanced', () => {
    const clock = new TestClock();
    const before = Date.now();
    clock.advance(60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(before + 60_000);
    expect(clock.now()).toBeLessThan(Date.now() + 61_000);
  });
});

describe('emulatorEnv', () => {
  const emulator = {
    environmentId: 'env',
    authBaseUrl: 'http://127.0.0.1:9/env/as',
    apiBaseUrl: 'http://127.0.0.1:9',
  };

  it('names the token auth method only when the client does', () => {
    expect(emulatorEnv(emulator, { clientId: 'c', clientSecret: 's' })).toEqual({
      PINGONE_ENVIRONMENT_ID: 'env',
      PINGONE_CLIENT_ID: 'c',
      PINGONE_CLIENT_SECRET: 's',
      PINGONE_AUTH_BASE_URL: 'http://127.0.0.1:9/env/as',
      PINGONE_API_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(
      emulatorEnv(emulator, {
        clientId: 'c',
        clientSecret: 's',
        tokenEndpointAuthMethod: 'client_secret_basic',
      }),
    ).toMatchObject({ PINGONE_TOKEN_AUTH_METHOD: 'client_secret_basic' });
  });
});
