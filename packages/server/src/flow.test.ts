import { DEFAULT_USER } from '@pingone-connect/emulator';
import { RESULT_MESSAGE_TYPE, isResultMessage } from '@pingone-connect/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HOST_ORIGIN,
  SECOND_USER,
  backendGet,
  connectFlow,
  mint,
  pollAttempt,
  postConnect,
  startHarness,
  type Harness,
} from '../test/support.js';

interface ConnectionBody {
  id: string;
  end_user: { id: string; email?: string };
  organization?: { id: string; display_name?: string };
  provider_account: { sub: string; email?: string; name?: string };
  scopes: string[];
  status: string;
  created_at: string;
  updated_at: string;
  credentials: {
    access_token: string;
    refresh_token?: string;
    id_token?: string;
    token_type: string;
    scope: string;
    expires_at?: string;
  };
}

async function readConnection(harness: Harness, id: string): Promise<ConnectionBody> {
  const response = await backendGet(harness, `/connections/${id}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return (await response.json()) as ConnectionBody;
}

describe.each(['client_secret_post', 'client_secret_basic'] as const)(
  'the complete flow with %s',
  (tokenAuthMethod) => {
    let harness: Harness;
    beforeEach(async () => {
      harness = await startHarness({ tokenAuthMethod });
    });
    afterEach(() => harness.close());

    it('connects a PingOne account and hands out working credentials', async () => {
      const session = await mint(harness, {
        end_user: { id: 'user-1', email: 'ada@example.com', display_name: 'Ada' },
        organization: { id: 'org-1', display_name: 'Acme' },
      });
      const flow = await connectFlow(harness, { token: session.token });

      // The result page posts the success message to the host page's exact origin.
      expect(flow.response.status).toBe(200);
      expect(flow.response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(flow.posted.targetOrigin).toBe(HOST_ORIGIN);
      const message = flow.posted.message;
      expect(isResultMessage(message)).toBe(true);
      expect(message).toMatchObject({
        v: 1,
        type: RESULT_MESSAGE_TYPE,
        attempt_id: flow.attempt.attemptId,
        ok: true,
        end_user_id: 'user-1',
      });
      if (!message?.ok) throw new Error('expected a success message');
      expect(message.connection_id).toMatch(/^conn_/);
      expect(message.scopes).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));

      // Polling agrees, with the fields the element uses.
      const poll = await pollAttempt(harness, flow.attempt.attemptId, session.token);
      expect(poll.status).toBe(200);
      expect(await poll.json()).toEqual({
        status: 'success',
        connection_id: message.connection_id,
        end_user_id: 'user-1',
        scopes: message.scopes,
      });

      // The backend reads the connection with its decrypted credentials.
      const connection = await readConnection(harness, message.connection_id);
      expect(connection).toMatchObject({
        id: message.connection_id,
        end_user: { id: 'user-1', email: 'ada@example.com' },
        organization: { id: 'org-1', display_name: 'Acme' },
        provider_account: { sub: harness.emulator.users[0]?.id, email: 'demo@example.com' },
        status: 'active',
      });
      expect(connection.credentials.token_type.toLowerCase()).toBe('bearer');
      expect(connection.credentials.refresh_token).toBeTruthy();
      expect(connection.credentials.id_token).toBeTruthy();
      expect(Date.parse(connection.credentials.expires_at ?? '')).toBeGreaterThan(Date.now());

      // And the access token works against PingOne's API: it reads the user's own record, all
      // that a Web App's self-service `p1:read:user` token may read.
      const { environmentId, apiBaseUrl } = harness.emulator;
      const api = await fetch(
        `${apiBaseUrl}/v1/environments/${environmentId}/users/${connection.provider_account.sub}`,
        { headers: { authorization: `Bearer ${connection.credentials.access_token}` } },
      );
      expect(api.status).toBe(200);
      expect(await api.json()).toMatchObject({
        id: connection.provider_account.sub,
        email: 'demo@example.com',
      });

      // The listing shows it without credentials.
      const list = await backendGet(harness, '/connections?end_user_id=user-1');
      const page = (await list.json()) as { data: Record<string, unknown>[]; next_cursor: null };
      expect(page.data.map((c) => c.id)).toEqual([message.connection_id]);
      expect(page.data[0]).not.toHaveProperty('credentials');
      expect(page.next_cursor).toBeNull();
    });
  },
);

describe('connection identity', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ emulator: { users: [{ ...DEFAULT_USER }, SECOND_USER] } });
  });
  afterEach(() => harness.close());

  it('updates the same connection when the end user reconnects', async () => {
    const first = await connectFlow(harness);
    if (!first.posted.message?.ok) throw new Error('first flow failed');
    const id = first.posted.message.connection_id;
    const before = await readConnection(harness, id);

    harness.clock.advance(1000);
    const again = await connectFlow(harness, { session: { connection_id: id } });
    if (!again.posted.message?.ok) throw new Error('reconnect failed');
    expect(again.posted.message.connection_id).toBe(id);

    const after = await readConnection(harness, id);
    expect(after.credentials.access_token).not.toBe(before.credentials.access_token);
    expect(after.created_at).toBe(before.created_at);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    const list = (await (await backendGet(harness, '/connections')).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
  });

  it('updates the same connection when the same account connects again without a reconnect session', async () => {
    const first = await connectFlow(harness);
    const second = await connectFlow(harness);
    if (!first.posted.message?.ok || !second.posted.message?.ok) throw new Error('flow failed');
    expect(second.posted.message.connection_id).toBe(first.posted.message.connection_id);
  });

  it('makes a second connection for a second PingOne account of the same end user', async () => {
    const first = await connectFlow(harness);
    const second = await connectFlow(harness, { username: SECOND_USER.username });
    if (!first.posted.message?.ok || !second.posted.message?.ok) throw new Error('flow failed');
    expect(second.posted.message.connection_id).not.toBe(first.posted.message.connection_id);

    const a = await readConnection(harness, first.posted.message.connection_id);
    const b = await readConnection(harness, second.posted.message.connection_id);
    expect(a.provider_account.sub).not.toBe(b.provider_account.sub);
    expect(b.provider_account).toMatchObject({ sub: SECOND_USER.id, email: SECOND_USER.email });
    const list = (await (await backendGet(harness, '/connections?end_user_id=user-1')).json()) as {
      data: { id: string }[];
    };
    // Newest first.
    expect(list.data.map((c) => c.id)).toEqual([b.id, a.id]);
  });

  it('refuses a reconnect that signs in to a different PingOne account', async () => {
    const first = await connectFlow(harness);
    if (!first.posted.message?.ok) throw new Error('first flow failed');
    const id = first.posted.message.connection_id;
    const again = await connectFlow(harness, {
      session: { connection_id: id },
      username: SECOND_USER.username,
    });
    expect(again.posted.message).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const list = (await (await backendGet(harness, '/connections')).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
  });
});

describe('mounted inside another Hono app', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ mountPath: '/pingone' });
  });
  afterEach(() => harness.close());

  it('runs the whole flow under the mount path, cookie and redirect URI included', async () => {
    const flow = await connectFlow(harness);
    expect(flow.attempt.authorizeUrl.searchParams.get('redirect_uri')).toBe(
      'http://127.0.0.1:3000/pingone/oauth/callback',
    );
    expect(flow.attempt.cookie).toMatch(/^pingone-connect-binding=/);
    expect(flow.posted.message).toMatchObject({ ok: true });
  });

  it('scopes the binding cookie to the mount path and renders popup errors as pages', async () => {
    const { token } = await mint(harness);
    const started = await postConnect(harness, { session_token: token });
    expect(started.headers.get('set-cookie')).toContain('Path=/pingone/oauth');
    const response = await harness.app.request(harness.url('/oauth/callback?state=unknown'));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
