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

/** Presents a refresh token at the emulator's token endpoint, as a replaying attacker would. */
async function replay(refreshToken: string): Promise<Response> {
  return fetch(`${stack.emulator.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    }),
  });
}

describe('getConnection with forceRefresh', () => {
  it('refreshes the access token now and stores the rotated refresh token', async () => {
    const { connectionId } = await stack.connect({ session: { endUser: { id: 'user-refresh' } } });
    const before = await stack.client.getConnection(connectionId);
    stack.emulator.resetCounters();
    const after = await stack.client.getConnection(connectionId, { forceRefresh: true });
    expect(stack.emulator.tokenRequests('refresh_token')).toBe(1);
    expect(after.credentials.access_token).not.toBe(before.credentials.access_token);
    expect(after.credentials.refresh_token).not.toBe(before.credentials.refresh_token);
    const again = await stack.client.getConnection(connectionId);
    expect(again.credentials.access_token).toBe(after.credentials.access_token);
    expect(stack.emulator.tokenRequests('refresh_token')).toBe(1);
  });

  it('leaves fresh credentials alone without forceRefresh', async () => {
    const { connectionId } = await stack.connect({ session: { endUser: { id: 'user-fresh' } } });
    stack.emulator.resetCounters();
    await stack.client.getConnection(connectionId);
    expect(stack.emulator.tokenRequests('refresh_token')).toBe(0);
  });

  it('answers refresh_failed and marks the connection needs_reauth when PingOne refuses', async () => {
    const { connectionId } = await stack.connect({
      session: { endUser: { id: 'user-revoked-chain' } },
    });
    const first = await stack.client.getConnection(connectionId);
    await stack.client.getConnection(connectionId, { forceRefresh: true });
    // Replaying the used refresh token makes PingOne revoke the whole chain.
    const replayed = await replay(first.credentials.refresh_token!);
    expect(replayed.status).toBe(400);
    const error = await failure(stack.client.getConnection(connectionId, { forceRefresh: true }));
    // The server's own error (not PingOne's, passed through), with PingOne's reason attached.
    expect(error).toMatchObject({ code: 'refresh_failed', status: 502, upstream: false });
    expect(error.oauthError?.error).toBe('invalid_grant');
    const listed = await stack.client.listConnections({ endUserId: 'user-revoked-chain' });
    expect(listed.data[0]?.status).toBe('needs_reauth');
  });
});
