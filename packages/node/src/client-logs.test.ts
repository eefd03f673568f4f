import { DEFAULT_USER } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../test/rejection.js';
import { startStack, type Connected, type Stack } from '../test/stack.js';

let stack: Stack;
let connected: Connected;
/** The signed-on user's own record, which a Web App's `p1:read:user` token may read. */
let ownRecord: string;

beforeAll(async () => {
  stack = await startStack();
  connected = await stack.connect({ session: { endUser: { id: 'user-logs' } } });
  ownRecord = `/v1/environments/${stack.emulator.environmentId}/users/${DEFAULT_USER.id}`;
  await stack.client.get({ endpoint: ownRecord, connectionId: connected.connectionId });
});

afterAll(async () => {
  await stack?.close();
});

describe('listLogs', () => {
  it('lists what happened to a connection', async () => {
    const { data } = await stack.client.listLogs({ connectionId: connected.connectionId });
    expect(data.length).toBeGreaterThan(0);
    for (const entry of data) {
      expect(entry.connection_id).toBe(connected.connectionId);
      expect(entry).toMatchObject({
        id: expect.any(String),
        type: expect.any(String),
        level: expect.any(String),
        message: expect.any(String),
      });
      expect(Date.parse(entry.at)).not.toBeNaN();
    }
  });

  it('lists each proxied call by method, path and status', async () => {
    const { data } = await stack.client.listLogs({ connectionId: connected.connectionId });
    expect(data.find((entry) => entry.type === 'proxy.request')).toMatchObject({
      level: 'info',
      end_user_id: 'user-logs',
      details: { method: 'GET', path: ownRecord, status: 200, retried: false },
    });
  });

  it('lists what happened during a connect attempt', async () => {
    const { data } = await stack.client.listLogs({ attemptId: connected.attemptId });
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((entry) => entry.attempt_id === connected.attemptId)).toBe(true);
  });

  it('pages with limit and cursor, newest first', async () => {
    const all = await stack.client.listLogs({ connectionId: connected.connectionId });
    const first = await stack.client.listLogs({ connectionId: connected.connectionId, limit: 1 });
    expect(first.data.map((entry) => entry.id)).toEqual([all.data[0]?.id]);
    if (all.data.length > 1) {
      const second = await stack.client.listLogs({
        connectionId: connected.connectionId,
        limit: 1,
        cursor: first.next_cursor!,
      });
      expect(second.data.map((entry) => entry.id)).toEqual([all.data[1]?.id]);
    } else {
      expect(first.next_cursor).toBeNull();
    }
  });

  it('never shows a token in a log entry', async () => {
    const { credentials } = await stack.client.getConnection(connected.connectionId);
    const { data } = await stack.client.listLogs({ limit: 100 });
    const text = JSON.stringify(data);
    for (const secret of [
      credentials.access_token,
      credentials.refresh_token,
      credentials.id_token,
      connected.token,
    ]) {
      if (secret) expect(text).not.toContain(secret);
    }
  });

  it('rejects a cursor it did not issue with invalid_request', async () => {
    const error = await failure(stack.client.listLogs({ cursor: 'not-a-cursor' }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});
