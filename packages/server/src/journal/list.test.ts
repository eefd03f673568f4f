import { DEFAULT_USER } from '@pingone-connect/emulator';
import type { LogEntry, Page } from '@pingone-connect/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../pagination.js';
import {
  SECRET_KEY,
  backendGet,
  connectFlow,
  startHarness,
  type Harness,
} from '../../test/support.js';

type LogPage = Page<LogEntry>;

let harness: Harness;
let connectionId: string;
let attemptId: string;
/** The signed-on user's own record: what a Web App's `p1:read:user` token may read. */
let ownRecord: string;

async function logs(query: string): Promise<LogPage> {
  const response = await backendGet(harness, `/logs${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as LogPage;
}

async function proxy(path: string, init: { method?: string; body?: string } = {}) {
  return await harness.app.request(harness.url(`/proxy${path}`), {
    ...init,
    headers: {
      authorization: `Bearer ${SECRET_KEY}`,
      'connection-id': connectionId,
      'content-type': 'application/json',
    },
  });
}

beforeAll(async () => {
  harness = await startHarness();
  const { posted, attempt } = await connectFlow(harness);
  if (!posted.message?.ok) throw new Error('the flow did not succeed');
  connectionId = posted.message.connection_id;
  attemptId = attempt.attemptId;
  ownRecord = `/v1/environments/${harness.emulator.environmentId}/users/${DEFAULT_USER.id}`;
  expect((await proxy(ownRecord)).status).toBe(200);
});
afterAll(() => harness?.close());

describe('GET /logs', () => {
  it('lists a connection’s flow and proxy entries, newest first', async () => {
    const { data } = await logs(`?connection_id=${connectionId}&limit=100`);
    expect(data.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['connection.created', 'attempt.succeeded', 'proxy.request']),
    );
    expect(data.every((entry) => entry.connection_id === connectionId)).toBe(true);
    expect(data.map((entry) => entry.id)).toEqual(
      data
        .map((entry) => entry.id)
        .sort()
        .reverse(),
    );
    expect(data.find((entry) => entry.type === 'proxy.request')).toEqual({
      id: expect.stringMatching(/^log_/),
      at: expect.any(String),
      type: 'proxy.request',
      level: 'info',
      message: `GET ${ownRecord} answered 200.`,
      integration_id: 'pingone',
      end_user_id: 'user-1',
      connection_id: connectionId,
      details: {
        method: 'GET',
        path: ownRecord,
        status: 200,
        duration_ms: expect.any(Number),
        retried: false,
        rate_limit_retries: 0,
      },
    });
  });

  it('lists what happened during a connect attempt', async () => {
    const { data } = await logs(`?attempt_id=${attemptId}`);
    expect(data.map((entry) => entry.type)).toContain('attempt.succeeded');
    expect(data.every((entry) => entry.attempt_id === attemptId)).toBe(true);
  });

  it('pages with limit and cursor, every entry exactly once', async () => {
    const all = await logs('?limit=100');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: LogPage = await logs(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((entry) => entry.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((entry) => entry.id));
    expect(all.next_cursor).toBeNull();
  });

  it.each([
    ['a cursor it did not issue', '?cursor=not-a-cursor'],
    ['a connection cursor', `?cursor=${encodeCursor('conn_0000000000aaaaaaaaaaaaaaaa')}`],
    ['a limit of 0', '?limit=0'],
    ['a limit over 100', '?limit=101'],
    ['a limit that is not a number', '?limit=ten'],
    ['an attempt id with bad characters', '?attempt_id=att%20x%20y%20z%20w'],
    ['an unknown filter', '?level=error'],
  ])('refuses %s with invalid_request', async (_, query) => {
    const response = await backendGet(harness, `/logs${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('requires the secret key', async () => {
    const response = await harness.app.request(harness.url('/logs'));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('§5.13 no token, secret or body in the proxy’s log lines and operations-log rows', () => {
  it('logs a proxied call by method, path and status only', async () => {
    const from = harness.logs.length;
    const bodyMarker = 'body-marker-5f1c2e9a';
    const queryMarker = 'query-marker-77a0b3c4';
    const response = await proxy(`/v1/environments?filter=${queryMarker}`, {
      method: 'POST',
      body: JSON.stringify({ password: bodyMarker }),
    });
    expect(response.status).toBe(404);
    const connection = (await (
      await backendGet(harness, `/connections/${connectionId}`)
    ).json()) as {
      credentials: { access_token: string; refresh_token: string; id_token: string };
    };
    const { access_token, refresh_token, id_token } = connection.credentials;

    const lines = harness.logs.slice(from).join('\n');
    const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
    const rows = JSON.stringify(db.prepare('select * from logs').all());
    db.close();
    const listed = JSON.stringify(await logs('?limit=100'));
    expect(rows).toContain('"event":"proxy.request"');
    expect(listed).toContain('POST /v1/environments answered 404.');
    for (const [name, value] of Object.entries({
      access_token,
      refresh_token,
      id_token,
      access_token_signature: access_token.split('.')[2] ?? '',
      secret_key: SECRET_KEY,
      body: bodyMarker,
      query: queryMarker,
    })) {
      expect(lines.includes(value), `${name} in a log line`).toBe(false);
      expect(rows.includes(value), `${name} in the operations log`).toBe(false);
      expect(listed.includes(value), `${name} in GET /logs`).toBe(false);
    }
  });
});
