import type { Emulator } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type Engine } from '../../test/engines.js';
import {
  ENV_A,
  SECRET_A,
  connectTenant,
  integrationBody,
  startTenantApp,
  startTenantEmulator,
  tempDir,
  type TenantApp,
} from '../../test/tenants.js';

const ROTATED = 'tenant-a-rotated-secret-abcdefghijkl';

describe.each(ENGINES)(
  'PATCH /integrations/:id rotates the client secret for every replica (%s)',
  (_name, start) => {
    let engine: Engine;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let emulator: Emulator;
    let first: TenantApp;
    let second: TenantApp;
    let third: TenantApp;

    beforeAll(async () => {
      dir = await tempDir();
      engine = await start();
      emulator = await startTenantEmulator('acme', ENV_A, SECRET_A);
      // App instances on one database: replicas, as far as the store can tell.
      first = await startTenantApp(dir.path, { databaseUrl: engine.url });
      second = await startTenantApp(dir.path, { databaseUrl: engine.url });
      third = await startTenantApp(dir.path, { databaseUrl: engine.url });
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await third?.close();
      await emulator?.close();
      await engine?.stop();
      await dir?.remove();
    });

    it('uses the new secret on the replicas that did not take the PATCH, for the next refresh and the next flow', async () => {
      const created = await first.call(
        'POST',
        '/integrations',
        integrationBody('acme', emulator, SECRET_A),
      );
      expect(created.status).toBe(201);
      // The first and third replicas build and cache their clients for the old secret.
      const before = await connectTenant(first, emulator, 'acme', 'before-rotation');
      expect((await first.call('GET', `/connections/${before}?refresh=force`)).status).toBe(200);
      await connectTenant(third, emulator, 'acme', 'warming-up');

      // The administrator rotates the secret at PingOne: the emulator knows the new one only.
      // (Its clients are fixed at start, so it starts again on the same port with the new one.)
      const { port } = emulator;
      await emulator.close();
      emulator = await startTenantEmulator('acme', ENV_A, ROTATED, { port });

      // A PATCH with the old secret fails its preflight and changes nothing.
      const stale = await second.call('PATCH', '/integrations/acme', { client_secret: SECRET_A });
      expect(stale.status).toBe(422);
      expect(await first.store.integrations.revision('acme')).toBe(1);

      const patched = await second.call('PATCH', '/integrations/acme', { client_secret: ROTATED });
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ id: 'acme', preflight: { ok: true } });

      // A connection made on the replica that took the PATCH…
      const after = await connectTenant(second, emulator, 'acme', 'after-rotation');
      emulator.resetCounters();
      // …refreshed on one whose client was built for the old secret: it sees the new revision.
      const refreshed = await first.call('GET', `/connections/${after}?refresh=force`);
      expect(refreshed.status).toBe(200);
      expect(emulator.tokenRequests('refresh_token')).toBe(1);
      // And the next flow on another stale replica signs in with the new secret too.
      await expect(connectTenant(third, emulator, 'acme', 'after-on-third')).resolves.toMatch(
        /^conn_/,
      );
    });

    it('refuses a change made on a stale revision from another replica, and keeps the winner', async () => {
      const body = integrationBody('racing', emulator, ROTATED, { client_id: 'acme-client' });
      expect((await first.call('POST', '/integrations', body)).status).toBe(201);
      const stored = await first.store.integrations.find('racing');
      if (!stored) throw new Error('not stored');
      // Another replica's change lands between this one's read and its write.
      await second.store.integrations.update('racing', stored.revision, { displayName: 'B' }, 1);
      const lost = await first.store.integrations.update(
        'racing',
        stored.revision,
        { displayName: 'A' },
        2,
      );
      expect(lost).toBeUndefined();
      expect(await first.call('GET', '/integrations/racing').then((r) => r.json())).toMatchObject({
        display_name: 'B',
      });
    });
  },
);
