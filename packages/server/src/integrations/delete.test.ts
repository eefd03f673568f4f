import { DEFAULT_CUSTOM_RESOURCE, type Emulator } from '@pingone-connect/emulator';
import BetterSqlite3 from 'better-sqlite3';
import { signIn } from '@pingone-connect/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postedResult } from '../../test/support.js';
import {
  ENV_A,
  SECRET_A,
  WEBHOOK_SECRET,
  connectTenant,
  integrationBody,
  startTenantApp,
  startTenantEmulator,
  tempDir,
  type TenantApp,
} from '../../test/tenants.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let emulator: Emulator;
let server: TenantApp;

beforeAll(async () => {
  dir = await tempDir();
  emulator = await startTenantEmulator('acme', ENV_A, SECRET_A);
  server = await startTenantApp(dir.path, {
    env: { WEBHOOK_URL: 'http://127.0.0.1:9/hooks', WEBHOOK_SECRET },
  });
  const created = await server.call(
    'POST',
    '/integrations',
    // A custom resource's scopes: the tokens PingOne's /as/revoke does revoke.
    integrationBody('acme', emulator, SECRET_A, {
      scopes: ['openid', 'profile', 'email', ...DEFAULT_CUSTOM_RESOURCE.scopes.slice(0, 1)],
    }),
  );
  if (created.status !== 201) throw new Error(await created.text());
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
  await dir?.remove();
});

/** The webhooks queued in the outbox, by type and connection. */
function queuedWebhooks(): { type: string; connection_id: string; revoked?: string[] }[] {
  const db = new BetterSqlite3(server.config.databaseUrl.slice('sqlite:'.length), {
    readonly: true,
  });
  try {
    const rows = db.prepare('select payload from webhook_outbox order by id').all() as {
      payload: string;
    }[];
    return rows.map(({ payload }) => {
      const event = JSON.parse(payload) as {
        type: string;
        data: { connection_id: string; revoked?: string[] };
      };
      return { type: event.type, ...event.data };
    });
  } finally {
    db.close();
  }
}

describe('DELETE /integrations/:id', () => {
  it('refuses with conflict while the integration has connections, and keeps them', async () => {
    const connectionId = await connectTenant(server, emulator, 'acme', 'kept');
    const response = await server.call('DELETE', '/integrations/acme');
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await server.call('GET', `/connections/${connectionId}`)).status).toBe(200);
    expect((await server.call('GET', '/integrations/acme')).status).toBe(200);
  });

  it('with delete_connections=true disconnects each connection, queues connection.deleted and deletes it', async () => {
    const other = await connectTenant(server, emulator, 'acme', 'second');
    const ids = (
      (await (await server.call('GET', '/connections?integration_id=acme')).json()) as {
        data: { id: string }[];
      }
    ).data.map((connection) => connection.id);
    expect(ids).toContain(other);
    emulator.resetCounters();

    const response = await server.call('DELETE', '/integrations/acme?delete_connections=true');
    expect(response.status).toBe(204);

    for (const id of ids) {
      expect((await server.call('GET', `/connections/${id}`)).status).toBe(404);
    }
    const deleted = queuedWebhooks().filter((event) => event.type === 'connection.deleted');
    expect(deleted.map((event) => event.connection_id).sort()).toEqual([...ids].sort());
    // Each one as DELETE /connections/:id does it: both tokens revoked, and said so.
    expect(deleted.map((event) => event.revoked)).toEqual(
      ids.map(() => ['refresh_token', 'access_token']),
    );
    expect(server.outgoing.filter((request) => request.url.endsWith('/revoke'))).toHaveLength(
      2 * ids.length,
    );
    expect(await (await server.call('GET', '/integrations/acme')).json()).toMatchObject({
      error: { code: 'integration_not_found' },
    });
    const session = await server.call('POST', '/connect/sessions', {
      end_user: { id: 'late' },
      integration_id: 'acme',
    });
    expect(session.status).toBe(404);
  });

  it('answers integration_not_found for an integration that does not exist', async () => {
    const response = await server.call('DELETE', '/integrations/never-made');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'integration_not_found' } });
  });

  it('fails a sign-in that comes back after its integration was deleted, with no exchange', async () => {
    const body = integrationBody('brief', emulator, SECRET_A, { client_id: 'acme-client' });
    expect((await server.call('POST', '/integrations', body)).status).toBe(201);
    const signedIn = await signIn(server.target(emulator), {
      session: { end_user: { id: 'too-late' }, integration_id: 'brief' },
    });
    expect((await server.call('DELETE', '/integrations/brief')).status).toBe(204);
    emulator.resetCounters();
    const page = await server.app.request(signedIn.callbackUrl.toString(), {
      headers: { cookie: signedIn.cookie },
    });
    expect(postedResult(await page.text()).message).toMatchObject({
      ok: false,
      error: { code: 'integration_not_found' },
    });
    expect(emulator.tokenRequests()).toBe(0);
    const left = await server.call('GET', '/connections?integration_id=brief');
    expect(await left.json()).toEqual({ data: [], next_cursor: null });
  });
});
