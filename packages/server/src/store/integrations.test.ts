import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './open.js';
import type { IntegrationRecord } from './integrations.js';
import type { Store } from './store.js';
import { ENGINES, type Engine } from '../../test/engines.js';

type NewIntegration = Omit<IntegrationRecord, 'revision' | 'createdAt' | 'updatedAt'> & {
  now: number;
};

function integration(id: string, overrides: Partial<NewIntegration> = {}): NewIntegration {
  return {
    id,
    displayName: 'Acme',
    environmentId: '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b',
    location: { kind: 'region', region: 'eu' },
    clientId: 'client',
    clientAuth: { method: 'client_secret_post', encryptedSecret: 'eyJ.encrypted.secret' },
    scopes: ['openid', 'profile'],
    skipTokenSessionValidation: false,
    now: 1_000,
    refreshTokenDuration: null,
    refreshTokenRollingDuration: null,
    ...overrides,
  };
}

describe.each(ENGINES)('the integrations table on %s', (_, start) => {
  let engine: Engine;
  let store: Store;
  beforeAll(async () => {
    engine = await start();
    store = await openStore(engine.url);
  });
  afterAll(async () => {
    await store?.close();
    await engine?.stop();
  });

  it('stores each kind of location and reads it back as written', async () => {
    const locations = [
      { kind: 'region', region: 'com.au' },
      { kind: 'custom_domain', region: 'ca', customDomain: 'auth.acme.example' },
      {
        kind: 'loopback',
        authBaseUrl: 'http://127.0.0.1:9/env/as',
        apiBaseUrl: 'http://127.0.0.1:9',
      },
    ] as const;
    for (const [index, location] of locations.entries()) {
      const inserted = await store.integrations.insert(
        integration(`location-${index}`, { location, skipTokenSessionValidation: index === 1 }),
      );
      expect(inserted).toMatchObject({ location, revision: 1, createdAt: 1_000, updatedAt: 1_000 });
      expect(await store.integrations.find(`location-${index}`)).toEqual(inserted);
    }
    expect((await store.integrations.find('location-1'))?.skipTokenSessionValidation).toBe(true);
  });

  it('refuses a second integration with the same id', async () => {
    expect(await store.integrations.insert(integration('twice'))).toBeDefined();
    expect(await store.integrations.insert(integration('twice', { clientId: 'other' }))).toBe(
      undefined,
    );
    expect((await store.integrations.find('twice'))?.clientId).toBe('client');
  });

  it('bumps the revision on every change, and refuses a change made on a stale revision', async () => {
    await store.integrations.insert(integration('changing'));
    expect(await store.integrations.revision('changing')).toBe(1);
    const changed = await store.integrations.update(
      'changing',
      1,
      {
        clientAuth: { method: 'client_secret_jwt', encryptedSecret: 'eyJ.new' },
        scopes: ['openid'],
        displayName: null,
      },
      2_000,
    );
    expect(changed).toMatchObject({
      revision: 2,
      clientAuth: { method: 'client_secret_jwt', encryptedSecret: 'eyJ.new' },
      scopes: ['openid'],
      displayName: null,
      updatedAt: 2_000,
      createdAt: 1_000,
    });
    expect(await store.integrations.update('changing', 1, { scopes: ['openid'] }, 3_000)).toBe(
      undefined,
    );
    expect(await store.integrations.revision('changing')).toBe(2);
    expect(await store.integrations.revision('never-made')).toBeUndefined();
  });

  it('lists by id after a cursor, counts and deletes', async () => {
    for (const id of ['page-b', 'page-a', 'page-c'])
      await store.integrations.insert(integration(id));
    const page = await store.integrations.list({ after: 'page-a', limit: 2 });
    expect(page.map((i) => i.id)).toEqual(['page-b', 'page-c']);
    const before = await store.integrations.count();
    expect((await store.integrations.delete('page-b'))?.id).toBe('page-b');
    expect(await store.integrations.delete('page-b')).toBeUndefined();
    expect(await store.integrations.count()).toBe(before - 1);
  });

  it('orders and pages by id byte by byte, as configured ids merge in code-point order', async () => {
    for (const id of ['ordz', 'ord-b', 'ord0', 'orda'])
      await store.integrations.insert(integration(id));
    const ids = async (after: string) =>
      (await store.integrations.list({ after, limit: 100 }))
        .map((i) => i.id)
        .filter((id) => id.startsWith('ord'));
    expect(await ids('ord')).toEqual(['ord-b', 'ord0', 'orda', 'ordz']);
    // A configured id may hold `_`, which sorts after the digits and before the letters.
    expect(await ids('ord_x')).toEqual(['orda', 'ordz']);
  });
});
