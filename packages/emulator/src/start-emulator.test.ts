import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { authorization, browser, discover, locationOf, useEmulator } from '../test/helpers.js';
import type { EmulatorOptions } from './types.js';

describe('startEmulator options', () => {
  it('uses the given environment id, clients and users, on 127.0.0.1', async () => {
    const environmentId = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const client = {
      ...DEFAULT_CLIENT,
      clientId: 'custom',
      redirectUris: ['http://127.0.0.1:9/cb'],
    };
    const emulator = await startEmulator({ environmentId, clients: [client] });
    try {
      expect(emulator.issuer).toBe(`http://127.0.0.1:${emulator.port}/${environmentId}/as`);
      expect(emulator.clients).toEqual([
        expect.objectContaining({ ...client, tokenEndpointAuthMethod: 'client_secret_post' }),
      ]);
      expect(emulator.users).toEqual([
        {
          ...DEFAULT_USER,
          roleAssignments: [
            { role: 'Environment Admin', scope: { type: 'ENVIRONMENT', id: environmentId } },
          ],
        },
      ]);
      expect((await fetch(`${emulator.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it('fails to start on a port that is taken', async () => {
    const first = await startEmulator();
    try {
      await expect(startEmulator({ port: first.port })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await first.close();
    }
  });

  it('stops answering once closed, and close() may be called twice', async () => {
    const emulator = await startEmulator();
    await emulator.close();
    await emulator.close();

    await expect(fetch(`${emulator.issuer}/jwks`)).rejects.toThrow();
  });

  it('close() does not wait for a token request held by tokenDelayMs', async () => {
    const emulator = await startEmulator({ faults: { tokenDelayMs: 600_000 } });
    const held = fetch(`${emulator.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });
    await vi.waitFor(() => expect(emulator.tokenRequests()).toBe(1), { interval: 5 });

    await emulator.close();
    await expect(held).rejects.toThrow();
  });

  const user = DEFAULT_USER;
  it.each<[string, EmulatorOptions]>([
    ['a negative port', { port: -1 }],
    ['a fractional port', { port: 1.5 }],
    ['an environment id that is not a uuid', { environmentId: 'prod' }],
    ['no clients', { clients: [] }],
    ['a client without a secret', { clients: [{ ...DEFAULT_CLIENT, clientSecret: '' }] }],
    ['a client without redirect URIs', { clients: [{ ...DEFAULT_CLIENT, redirectUris: [] }] }],
    [
      'a relative redirect URI',
      { clients: [{ ...DEFAULT_CLIENT, redirectUris: ['/oauth/callback'] }] },
    ],
    [
      'a redirect URI with a fragment',
      { clients: [{ ...DEFAULT_CLIENT, redirectUris: ['http://127.0.0.1:3000/cb#x'] }] },
    ],
    [
      'an unsupported auth method',
      { clients: [{ ...DEFAULT_CLIENT, tokenEndpointAuthMethod: 'none' as never }] },
    ],
    ['two clients with one id', { clients: [DEFAULT_CLIENT, DEFAULT_CLIENT] }],
    ['no users', { users: [] }],
    ['a user id that is not a uuid', { users: [{ ...user, id: '42' }] }],
    [
      'two users with one username',
      { users: [user, { ...user, id: '0b7e3c1a-9d2f-4e8b-a6c5-3f1e0d9c8b7a' }] },
    ],
    ['a user without an email address', { users: [{ ...user, email: 'demo' }] }],
    ['a zero token lifetime', { tokenTtl: { accessToken: 0 } }],
    ['a fractional token lifetime', { tokenTtl: { refreshToken: 1.5 } }],
    [
      'a custom resource with p1: scopes',
      { customResources: [{ audience: 'urn:x', scopes: ['p1:read:user'] }] },
    ],
    [
      'a custom resource with a relative audience',
      { customResources: [{ audience: 'photos', scopes: ['x'] }] },
    ],
    ['a non-boolean autoApprove', { autoApprove: 'yes' as never }],
  ])('refuses %s with a TypeError', async (_, options) => {
    await expect(startEmulator(options)).rejects.toThrow(TypeError);
  });
});

describe('autoApprove', () => {
  const emulator = useEmulator({ autoApprove: true });

  /** Follows redirects from `url` until one leaves the emulator; fails on any page it would show. */
  async function follow(url: URL): Promise<URL> {
    const get = browser();
    let next = url;
    while (next.origin === emulator().apiBaseUrl) {
      const response = await get(next);
      expect(response.status, `a page was shown at ${next.pathname}`).toBe(303);
      next = locationOf(response, next);
    }
    return next;
  }

  it('signs on the login_hint user and grants the scopes without showing a page', async () => {
    const { url, state } = await authorization(await discover(emulator()), DEFAULT_CLIENT, {
      login_hint: DEFAULT_USER.username,
    });
    const callback = await follow(url);

    expect(callback.origin + callback.pathname).toBe(DEFAULT_CLIENT.redirectUris[0]);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    expect(callback.searchParams.get('state')).toBe(state);
  });

  it('shows the sign-on page when login_hint names no user', async () => {
    const { url } = await authorization(await discover(emulator()), DEFAULT_CLIENT, {
      login_hint: 'nobody',
    });
    const get = browser();
    const page = await get(locationOf(await get(url), url));

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
  });

  it('is off by default: login_hint only fills in the username', async () => {
    const plain = await startEmulator();
    try {
      const { url } = await authorization(await discover(plain), DEFAULT_CLIENT, {
        login_hint: DEFAULT_USER.username,
      });
      const get = browser();
      const page = await get(locationOf(await get(url), url));

      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/id="username"[^>]*value="demo"/);
    } finally {
      await plain.close();
    }
  });
});
