import { DEFAULT_CUSTOM_RESOURCE } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../test/rejection.js';
import { CLIENT_ID, CLIENT_SECRET, startStack, type Stack } from '../test/stack.js';

let stack: Stack;

beforeAll(async () => {
  // A custom resource's scope: PingOne's /as/revoke revokes such tokens, and answers 200 but
  // leaves PingOne API (`p1:`) tokens valid (see the last describe).
  stack = await startStack({
    env: { PINGONE_SCOPES: `openid profile email ${DEFAULT_CUSTOM_RESOURCE.scopes[0]}` },
  });
});

afterAll(async () => {
  await stack?.close();
});

/** A refresh grant at the emulator, as the server would make it. */
async function refreshAtPingOne(at: Stack, refreshToken: string): Promise<Response> {
  return await fetch(`${at.emulator.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    }),
  });
}

describe('deleteConnection', () => {
  it('revokes the tokens at PingOne and deletes the connection', async () => {
    const { connectionId } = await stack.connect({ session: { endUser: { id: 'user-delete' } } });
    const { credentials } = await stack.client.getConnection(connectionId);
    await expect(stack.client.deleteConnection(connectionId)).resolves.toEqual({
      deleted: true,
      revoked: ['refresh_token', 'access_token'],
      not_revocable: [],
    });

    const error = await failure(stack.client.getConnection(connectionId));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404 });
    const listed = await stack.client.listConnections({ endUserId: 'user-delete' });
    expect(listed.data).toEqual([]);

    // The refresh token died with the connection at PingOne.
    const refresh = await refreshAtPingOne(stack, credentials.refresh_token!);
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers connection_not_found for an unknown id', async () => {
    const error = await failure(stack.client.deleteConnection('conn_0000000000unknown000000000'));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404 });
  });

  it('answers connection_not_found the second time', async () => {
    const { connectionId } = await stack.connect({
      session: { endUser: { id: 'user-delete-twice' } },
    });
    await stack.client.deleteConnection(connectionId);
    const error = await failure(stack.client.deleteConnection(connectionId));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404 });
  });
});

describe('deleteConnection of a PingOne API connection', () => {
  let p1: Stack;

  beforeAll(async () => {
    p1 = await startStack();
  });

  afterAll(async () => {
    await p1?.close();
  });

  it('deletes the connection and says PingOne does not let it revoke the p1: tokens, which stay valid', async () => {
    const { connectionId } = await p1.connect({ session: { endUser: { id: 'user-delete-p1' } } });
    const { credentials, scopes } = await p1.client.getConnection(connectionId);
    expect(scopes).toContain('p1:read:user');
    await expect(p1.client.deleteConnection(connectionId)).resolves.toEqual({
      deleted: true,
      revoked: [],
      not_revocable: ['refresh_token', 'access_token'],
    });

    const error = await failure(p1.client.getConnection(connectionId));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404 });
    const refresh = await refreshAtPingOne(p1, credentials.refresh_token!);
    expect(refresh.status).toBe(200);
    await refresh.body?.cancel();
  });
});
