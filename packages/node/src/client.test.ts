import { DEFAULT_USER } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PingOneConnect } from './client.js';
import { failure } from '../test/rejection.js';
import { HOST_ORIGIN, SECOND_USER, SECRET_KEY, startStack, type Stack } from '../test/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

/** `POST /oauth/connect` as the element's form post, for a session token. */
async function postConnect(token: string): Promise<Response> {
  return fetch(`${stack.host}/oauth/connect`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: HOST_ORIGIN },
    body: new URLSearchParams({
      session_token: token,
      attempt_id: 'att_node_revoked',
      origin: HOST_ORIGIN,
    }),
  });
}

describe('createConnectSession', () => {
  it('mints a session token with its expiry and id', async () => {
    const session = await stack.client.createConnectSession({ endUser: { id: 'user-mint' } });
    expect(session.token.split('.')).toHaveLength(3);
    expect(session.jti).toEqual(expect.any(String));
    expect(Date.parse(session.expires_at)).toBeGreaterThan(Date.now());
  });

  it("sends camelCase options as the server's snake_case fields", async () => {
    const { connectionId } = await stack.connect({
      session: {
        endUser: { id: 'user-names', email: 'ada@example.com', displayName: 'Ada Lovelace' },
        organization: { id: 'org-names', displayName: 'Analytical Engines' },
        allowedOrigins: [HOST_ORIGIN],
        scopes: ['openid', 'email'],
      },
    });
    const connection = await stack.client.getConnection(connectionId);
    expect(connection.end_user).toEqual({
      id: 'user-names',
      email: 'ada@example.com',
      display_name: 'Ada Lovelace',
    });
    expect(connection.organization).toEqual({
      id: 'org-names',
      display_name: 'Analytical Engines',
    });
    expect(connection.scopes).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(connection.scopes).not.toContain('p1:read:user');
  });

  it('asks for a connect link with expiresIn and returnUrl and returns connect_link', async () => {
    const session = await stack.client.createConnectSession({
      endUser: { id: 'user-link' },
      link: { expiresIn: 3600, returnUrl: `${HOST_ORIGIN}/done` },
    });
    expect(session.connect_link).toMatch(/\/connect\/links\/link_[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    const page = await fetch(session.connect_link ?? '');
    expect(page.status).toBe(200);
    await page.body?.cancel();
  });

  it('returns no connect_link without link', async () => {
    const session = await stack.client.createConnectSession({ endUser: { id: 'user-nolink' } });
    expect(session).not.toHaveProperty('connect_link');
  });

  it('rejects a returnUrl outside ALLOWED_ORIGINS with forbidden_origin', async () => {
    const error = await failure(
      stack.client.createConnectSession({
        endUser: { id: 'user-1' },
        link: { returnUrl: 'https://evil.example/done' },
      }),
    );
    expect(error).toMatchObject({ code: 'forbidden_origin', status: 403 });
  });

  it('rejects an origin outside ALLOWED_ORIGINS with forbidden_origin', async () => {
    const error = await failure(
      stack.client.createConnectSession({
        endUser: { id: 'user-1' },
        allowedOrigins: ['https://evil.example'],
      }),
    );
    expect(error).toMatchObject({ code: 'forbidden_origin', status: 403, upstream: false });
  });

  it("rejects scopes beyond the integration's with invalid_request", async () => {
    const error = await failure(
      stack.client.createConnectSession({
        endUser: { id: 'user-1' },
        scopes: ['openid', 'p1:delete:everything'],
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('rejects a wrong secret key with unauthorized, without echoing it', async () => {
    const secretKey = `${'x'.repeat(40)}-wrong`;
    const client = new PingOneConnect({ secretKey, host: stack.host });
    const error = await failure(client.createConnectSession({ endUser: { id: 'user-1' } }));
    expect(error).toMatchObject({ name: 'PingOneConnectError', code: 'unauthorized', status: 401 });
    expect(error.message).not.toContain(secretKey);
  });
});

describe('revokeConnectSession', () => {
  it('revokes an unused session so that it cannot start a connection', async () => {
    const session = await stack.client.createConnectSession({ endUser: { id: 'user-revoke' } });
    await expect(stack.client.revokeConnectSession(session.jti)).resolves.toBeUndefined();
    const response = await postConnect(session.token);
    await response.body?.cancel();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses a session that already connected with session_used', async () => {
    const session = await stack.client.createConnectSession({ endUser: { id: 'user-used' } });
    await stack.connect({ token: session.token });
    const error = await failure(stack.client.revokeConnectSession(session.jti));
    expect(error).toMatchObject({ code: 'session_used', status: 409 });
  });

  it('answers invalid_request for an unknown session id', async () => {
    const error = await failure(stack.client.revokeConnectSession('sess_unknown'));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});

describe('getConnection', () => {
  let connectionId: string;

  beforeAll(async () => {
    ({ connectionId } = await stack.connect({ session: { endUser: { id: 'user-get' } } }));
  });

  it('returns the connection and the PingOne account behind it', async () => {
    const connection = await stack.client.getConnection(connectionId);
    expect(connection).toMatchObject({
      id: connectionId,
      integration_id: 'pingone',
      end_user: { id: 'user-get' },
      provider_account: { sub: DEFAULT_USER.id, email: DEFAULT_USER.email },
      status: 'active',
    });
    expect(connection.scopes).toEqual(expect.arrayContaining(['openid', 'p1:read:user']));
    expect(Date.parse(connection.created_at)).not.toBeNaN();
    expect(connection.organization).toBeUndefined();
  });

  it('returns credentials that PingOne accepts', async () => {
    const { credentials } = await stack.client.getConnection(connectionId);
    expect(credentials.token_type.toLowerCase()).toBe('bearer');
    expect(credentials.refresh_token).toEqual(expect.any(String));
    expect(Date.parse(credentials.expires_at ?? '')).toBeGreaterThan(Date.now());
    const { environmentId, apiBaseUrl } = stack.emulator;
    const user = await fetch(
      `${apiBaseUrl}/v1/environments/${environmentId}/users/${DEFAULT_USER.id}`,
      {
        headers: { authorization: `Bearer ${credentials.access_token}` },
      },
    );
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({ id: DEFAULT_USER.id });
  });

  it('answers connection_not_found for an unknown id', async () => {
    const error = await failure(stack.client.getConnection('conn_0000000000unknown000000000'));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404, upstream: false });
  });

  it('keeps an id with slashes and dots inside one path segment', async () => {
    const error = await failure(stack.client.getConnection('../connect/sessions'));
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404 });
  });
});

describe('listConnections', () => {
  let first: string;
  let second: string;

  beforeAll(async () => {
    const session = { endUser: { id: 'user-list' }, organization: { id: 'org-list' } };
    first = (await stack.connect({ session })).connectionId;
    second = (await stack.connect({ session, username: SECOND_USER.username })).connectionId;
  });

  it("lists an end user's connections, newest first, without credentials", async () => {
    const page = await stack.client.listConnections({ endUserId: 'user-list' });
    expect(page.data.map((connection) => connection.id)).toEqual([second, first]);
    expect(page.data.map((connection) => connection.provider_account.sub)).toEqual([
      SECOND_USER.id,
      DEFAULT_USER.id,
    ]);
    expect(page.data.every((connection) => !('credentials' in connection))).toBe(true);
    expect(page.next_cursor).toBeNull();
  });

  it('pages through them with limit and cursor', async () => {
    const one = await stack.client.listConnections({ endUserId: 'user-list', limit: 1 });
    expect(one.data.map((connection) => connection.id)).toEqual([second]);
    expect(one.next_cursor).toEqual(expect.any(String));
    const two = await stack.client.listConnections({
      endUserId: 'user-list',
      limit: 1,
      cursor: one.next_cursor!,
    });
    expect(two.data.map((connection) => connection.id)).toEqual([first]);
    expect(two.next_cursor).toBeNull();
  });

  it('filters by organization and integration', async () => {
    const byOrganization = await stack.client.listConnections({
      organizationId: 'org-list',
      integrationId: 'pingone',
    });
    expect(byOrganization.data.map((connection) => connection.id)).toEqual([second, first]);
    const otherIntegration = await stack.client.listConnections({
      endUserId: 'user-list',
      integrationId: 'other',
    });
    expect(otherIntegration.data).toEqual([]);
  });

  it('rejects a page size above 100 with invalid_request', async () => {
    const error = await failure(stack.client.listConnections({ limit: 101 }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('rejects a cursor it did not issue with invalid_request', async () => {
    const error = await failure(stack.client.listConnections({ cursor: 'not-a-cursor' }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});

describe('the client options', () => {
  it('reach a server served under a path prefix', async () => {
    const prefixed = await startStack({ basePath: '/pingone-connect' });
    try {
      expect(prefixed.host).toMatch(/\/pingone-connect$/);
      const { connectionId } = await prefixed.connect({
        session: { endUser: { id: 'user-prefixed' } },
      });
      const connection = await prefixed.client.getConnection(connectionId);
      expect(connection.end_user.id).toBe('user-prefixed');
    } finally {
      await prefixed.close();
    }
  });

  it('send every call through the fetch they are given', async () => {
    const seen: string[] = [];
    const client = new PingOneConnect({
      secretKey: SECRET_KEY,
      host: stack.host,
      fetch: (input, init) => {
        seen.push(`${init?.method ?? 'GET'} ${String(input)}`);
        return fetch(input, init);
      },
    });
    const page = await client.listConnections({ endUserId: 'user-list', limit: 5 });
    expect(page.data).toHaveLength(2);
    expect(seen).toEqual([`GET ${stack.host}/connections?end_user_id=user-list&limit=5`]);
  });
});
