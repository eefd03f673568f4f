import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../test/rejection.js';
import { CLIENT_ID, CLIENT_SECRET, startStack, type Stack } from '../test/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('deleteConnection', () => {
  it('revokes the tokens at PingOne and deletes the connection', async () => {
    const { connectionId } = await stack.connect({ session: { endUser: { id: 'user-delete' } } });
    const { credentials } = await stack.client.getConnection(connectionId);
    await expect(stack.client.deleteConnection(connectionId)).resolves.toBeUndefined();

    const error = await failure(stack.client.getConnection(connectionId));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404 });
    const listed = await stack.client.listConnections({ endUserId: 'user-delete' });
    expect(listed.data).toEqual([]);

    // The refresh token died with the connection at PingOne.
    const refresh = await fetch(`${stack.emulator.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.refresh_token!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
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
