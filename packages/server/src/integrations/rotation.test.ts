import type { Emulator } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type Engine } from '../../test/engines.js';
import {
  ENV_A,
  ENV_B,
  SECRET_A,
  SECRET_B,
  connectTenant,
  integrationBody,
  startTenantApp,
  startTenantEmulator,
  tempDir,
  type TenantApp,
} from '../../test/tenants.js';

const ROTATED = 'tenant-a-rotated-secret-abcdefghijkl';
const ROTATED_B = 'tenant-b-rotated-secret-mnopqrstuvwx';

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

    it('refreshes a connection made before the rotation with the new secret, on a replica that cached the old one', async () => {
      const created = await first.call(
        'POST',
        '/integrations',
        integrationBody('acme', emulator, SECRET_A),
      );
      expect(created.status).toBe(201);
      const before = await connectTenant(first, emulator, 'acme', 'before-rotation');
      // The second and third replicas build and cache their clients for the old secret.
      expect((await second.call('GET', `/connections/${before}?refresh=force`)).status).toBe(200);
      await connectTenant(third, emulator, 'acme', 'warming-up');

      // The administrator generates a new secret at PingOne, which retains the previous one…
      emulator.rotateClientSecret('acme-client', { secret: ROTATED });
      // …so the replicas keep working with the old secret until the PATCH.
      expect((await second.call('GET', `/connections/${before}?refresh=force`)).status).toBe(200);
      const patched = await first.call('PATCH', '/integrations/acme', { client_secret: ROTATED });
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ id: 'acme', preflight: { ok: true } });
      // Then revokes the previous secret: only the new one works from now on.
      expect(emulator.revokePreviousClientSecret('acme-client')).toBe(true);

      emulator.resetCounters();
      const refreshed = await second.call('GET', `/connections/${before}?refresh=force`);
      expect(refreshed.status).toBe(200);
      expect(emulator.tokenRequests('refresh_token')).toBe(1);
      // And the next flow on another stale replica signs in with the new secret too.
      await expect(connectTenant(third, emulator, 'acme', 'after-on-third')).resolves.toMatch(
        /^conn_/,
      );
    });

    it('fails the refresh with invalid_client while the integration still has the revoked secret, and keeps the connection active', async () => {
      const beta = await startTenantEmulator('beta', ENV_B, SECRET_B);
      try {
        const body = integrationBody('beta', beta, SECRET_B);
        expect((await first.call('POST', '/integrations', body)).status).toBe(201);
        const connection = await connectTenant(first, beta, 'beta', 'before-revocation');
        expect((await second.call('GET', `/connections/${connection}?refresh=force`)).status).toBe(
          200,
        );

        // The secret is rotated at PingOne and the previous one revoked before the PATCH.
        beta.rotateClientSecret('beta-client', { secret: ROTATED_B });
        beta.revokePreviousClientSecret('beta-client');

        const refused = await second.call('GET', `/connections/${connection}?refresh=force`);
        expect(refused.status).toBe(502);
        expect(await refused.json()).toMatchObject({
          error: { code: 'refresh_failed', oauth_error: { error: 'invalid_client' } },
        });
        // A refused client is not a dead grant: the end user need not connect again.
        expect(await first.store.connections.find(connection)).toMatchObject({
          status: 'active',
        });
        // A PATCH with the revoked secret fails its preflight and changes nothing…
        const stale = await second.call('PATCH', '/integrations/beta', { client_secret: SECRET_B });
        expect(stale.status).toBe(422);
        expect(await first.store.integrations.revision('beta')).toBe(1);
        // …and the one with the new secret mends the connection made before.
        const patched = await third.call('PATCH', '/integrations/beta', {
          client_secret: ROTATED_B,
        });
        expect(patched.status).toBe(200);
        const mended = await second.call('GET', `/connections/${connection}?refresh=force`);
        expect(mended.status).toBe(200);
      } finally {
        await beta.close();
      }
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
