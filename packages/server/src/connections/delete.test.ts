import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendGet, startHarness, type Harness } from '../../test/support.js';
import {
  WEBHOOK_ENV,
  connect,
  deleteConnection,
  isActive,
  loggedEvents,
  outbox,
  readConnection,
  readOwnRecord,
  REVOCABLE_SCOPES_ENV,
  type ConnectionBody,
} from '../../test/connections.js';

/** A custom resource's connection: PingOne revokes both its tokens. */
const REVOKED = { deleted: true, revoked: ['refresh_token', 'access_token'], not_revocable: [] };
/** A PingOne API connection: PingOne revokes none of its tokens. */
const NOT_REVOCABLE = {
  deleted: true,
  revoked: [],
  not_revocable: ['refresh_token', 'access_token'],
};

let harness: Harness;
afterEach(() => harness.close());

describe('DELETE /connections/:id', () => {
  // A custom resource's grant, which PingOne's /as/revoke does revoke.
  beforeEach(async () => {
    harness = await startHarness({ env: { ...WEBHOOK_ENV, ...REVOCABLE_SCOPES_ENV } });
  });

  it('revokes the grant at PingOne, deletes the connection and queues connection.deleted', async () => {
    const id = await connect(harness, 'user-delete');
    const { credentials } = await readConnection(harness, id);

    const response = await deleteConnection(harness, id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(REVOKED);

    const read = await backendGet(harness, `/connections/${id}`);
    expect(read.status).toBe(404);
    expect(await isActive(harness, credentials.refresh_token ?? '')).toBe(false);
    expect(await isActive(harness, credentials.access_token)).toBe(false);

    const deleted = outbox(harness).filter((row) => row.event_type === 'connection.deleted');
    expect(deleted).toHaveLength(1);
    expect(JSON.parse(deleted[0]?.payload ?? '')).toMatchObject({
      type: 'connection.deleted',
      data: {
        connection_id: id,
        integration_id: 'pingone',
        end_user: { id: 'user-delete' },
        revoked: REVOKED.revoked,
        not_revocable: [],
      },
    });
    expect(loggedEvents(harness, id)).toContain('connection.deleted');
  });

  it('says the same in the operations log as in its answer', async () => {
    const id = await connect(harness, 'user-delete-log');
    await deleteConnection(harness, id);
    const [entry] = await harness.store.journal.list({ connectionId: id, limit: 1 });
    expect(entry).toMatchObject({
      event: 'connection.deleted',
      level: 'info',
      message: 'Connection deleted; revoked at PingOne: refresh_token, access_token.',
      data: { revoked: REVOKED.revoked, not_revocable: [] },
    });
  });

  it('answers connection_not_found for an unknown connection', async () => {
    const response = await deleteConnection(harness, 'conn_0000000000unknown000000000');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });
  });

  it('answers connection_not_found the second time', async () => {
    const id = await connect(harness);
    expect((await deleteConnection(harness, id)).status).toBe(200);
    const again = await deleteConnection(harness, id);
    expect(again.status).toBe(404);
    expect(outbox(harness).filter((row) => row.event_type === 'connection.deleted')).toHaveLength(
      1,
    );
  });

  it('deletes the connection when PingOne cannot be reached, claims no revocation and logs the failure', async () => {
    const id = await connect(harness);
    await harness.emulator.close();

    const response = await deleteConnection(harness, id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: true, revoked: [], not_revocable: [] });
    expect((await backendGet(harness, `/connections/${id}`)).status).toBe(404);
    expect(harness.logs.join('\n')).toMatch(
      /"event":"connection\.revoke_failed".*"error_code":"provider_unavailable"/,
    );
    expect(outbox(harness).map((row) => row.event_type)).toContain('connection.deleted');
  });

  it('waits for a refresh in flight, then revokes the rotated refresh token', async () => {
    const id = await connect(harness);
    harness.emulator.faults.tokenDelayMs = 300;
    harness.emulator.resetCounters();
    const refreshing = backendGet(harness, `/connections/${id}?refresh=force`);
    while (harness.emulator.tokenRequests('refresh_token') === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const deleting = deleteConnection(harness, id);

    const refreshed = await refreshing;
    expect(refreshed.status).toBe(200);
    expect((await deleting).status).toBe(200);
    // The token the refresh handed out is the one the deletion revoked.
    const { credentials } = (await refreshed.json()) as ConnectionBody;
    expect(await isActive(harness, credentials.refresh_token ?? '')).toBe(false);
  });
});

describe('DELETE /connections/:id of a PingOne API connection', () => {
  beforeEach(async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
  });

  // PingOne's /as/revoke answers 200 for a `p1:` token and leaves it valid (DESIGN §4.10,
  // https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-revocation.html):
  // the answer, the log and the webhook say so instead of claiming a revocation.
  it('reports the p1: tokens not_revocable, and they still work at PingOne afterwards', async () => {
    const id = await connect(harness, 'user-delete-p1');
    const connection = await readConnection(harness, id);
    expect(connection.scopes).toContain('p1:read:user');
    harness.emulator.resetCounters();

    const response = await deleteConnection(harness, id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(NOT_REVOCABLE);
    expect((await backendGet(harness, `/connections/${id}`)).status).toBe(404);
    expect(await isActive(harness, connection.credentials.refresh_token ?? '')).toBe(true);
    expect(await readOwnRecord(harness, connection)).toBe(200);
  });

  it('tells the log and connection.deleted that PingOne does not let it revoke them', async () => {
    const id = await connect(harness, 'user-delete-p1-log');
    await deleteConnection(harness, id);

    const [entry] = await harness.store.journal.list({ connectionId: id, limit: 1 });
    expect(entry?.message).toBe(
      'Connection deleted; PingOne does not let us revoke: refresh_token, access_token (valid until they expire or the sign-on session ends).',
    );
    expect(entry?.data).toMatchObject({ revoked: [], not_revocable: NOT_REVOCABLE.not_revocable });
    const [deleted] = outbox(harness).filter((row) => row.event_type === 'connection.deleted');
    expect(JSON.parse(deleted?.payload ?? '')).toMatchObject({
      data: { connection_id: id, revoked: [], not_revocable: NOT_REVOCABLE.not_revocable },
    });
  });
});
