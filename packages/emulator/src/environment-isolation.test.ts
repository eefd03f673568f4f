import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  authorization,
  clientAuth,
  connect,
  discover,
  exchange,
  insecure,
  refresh,
  useEmulator,
} from '../test/helpers.js';
import type { EmulatorClient, EmulatorEnvironment, EmulatorUser } from './types.js';

const A = '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a';
const B = '0b0b0b0b-2222-4222-8222-0b0b0b0b0b0b';
/** Both Web Apps share one redirect URI, so that only the environment tells them apart. */
const WEB_A: EmulatorClient = {
  ...DEFAULT_CLIENT,
  clientId: 'web-a',
  clientSecret: 'web-a-secret',
};
const WEB_B: EmulatorClient = {
  ...DEFAULT_CLIENT,
  clientId: 'web-b',
  clientSecret: 'web-b-secret',
};
const WORKER_A: EmulatorClient = {
  ...DEFAULT_CLIENT,
  clientId: 'worker-a',
  clientSecret: 'worker-a-secret',
  applicationType: 'WORKER',
};
/** An administrator of A's whole organization, users and environments alike. */
const ORG_ADMIN: EmulatorUser = {
  ...DEFAULT_USER,
  roleAssignments: [
    { role: 'Organization Admin', scope: { type: 'ORGANIZATION' } },
    { role: 'Identity Data Admin', scope: { type: 'ORGANIZATION' } },
  ],
};

describe('isolation between environments', () => {
  const emulator = useEmulator({
    environments: [
      { id: A, clients: [WEB_A, WORKER_A], users: [ORG_ADMIN] },
      { id: B, clients: [WEB_B] },
    ],
    extraEnvironments: 1,
  });
  let a: EmulatorEnvironment;
  let b: EmulatorEnvironment;
  /** A's tokens for `openid profile email p1:read:user`. */
  let tokens: oauth.TokenEndpointResponse;
  /** A Worker token of A's organization administrator. */
  let admin: string;

  beforeAll(async () => {
    [a, b] = emulator().environments as [EmulatorEnvironment, EmulatorEnvironment];
    tokens = await connect(a);
    admin = (await connect(a, { client: WORKER_A, params: { scope: 'openid' } })).access_token;
  });

  async function oauthErrorOf(response: Response): Promise<{ status: number; error: string }> {
    const body = (await response.json()) as { error: string };
    return { status: response.status, error: body.error };
  }

  function api(path: string, token: string): Promise<Response> {
    return fetch(`${emulator().apiBaseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  }

  it('refuses a client of another environment at its token endpoint with invalid_client', async () => {
    const response = await refresh(b, tokens.refresh_token!, WEB_A);
    expect(await oauthErrorOf(response)).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses a refresh token of another environment with invalid_grant', async () => {
    const response = await refresh(b, tokens.refresh_token!, WEB_B);
    expect(await oauthErrorOf(response)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses an authorization code of another environment with invalid_grant', async () => {
    const request = await authorization(await discover(a), WEB_A);
    const callback = await a.approve(request.url);
    const response = await exchange(await discover(b), WEB_B, request, callback);
    expect(await oauthErrorOf(response)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('counts a refused request in the environment it was sent to', async () => {
    emulator().resetCounters();
    await (await refresh(b, tokens.refresh_token!, WEB_B)).body?.cancel();
    expect(b.tokenRequests('refresh_token')).toBe(1);
    expect(a.tokenRequests()).toBe(0);
  });

  it('refuses an access token of another environment at its UserInfo', async () => {
    const response = await fetch(`${b.issuer}/userinfo`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await oauthErrorOf(response)).toEqual({ status: 401, error: 'invalid_token' });
  });

  it('reports an access token of another environment inactive at its introspection', async () => {
    const response = await oauth.introspectionRequest(
      await discover(b),
      { client_id: WEB_B.clientId },
      clientAuth(WEB_B),
      tokens.access_token,
      insecure,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ active: false });
  });

  it('answers 401 INVALID_TOKEN to an access token of another environment at its user', async () => {
    const response = await api(
      `/v1/environments/${B}/users/${DEFAULT_USER.id}`,
      tokens.access_token,
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await response.json()).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('answers 401 INVALID_TOKEN to an organization administrator of another environment at its users', async () => {
    const response = await api(`/v1/environments/${B}/users`, admin);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('lists an organization administrator the environments of that organization only', async () => {
    const response = await api('/v1/environments', admin);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { _embedded: { environments: { id: string }[] } };
    const ids = body._embedded.environments.map((e) => e.id);
    expect(ids).toHaveLength(2); // A and its generated environment
    expect(ids[0]).toBe(A);
    expect(ids).not.toContain(B);
  });

  it('still serves a token in its own environment', async () => {
    const own = await api(`/v1/environments/${A}/users/${DEFAULT_USER.id}`, tokens.access_token);
    expect(own.status).toBe(200);
  });
});
