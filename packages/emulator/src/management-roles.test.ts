import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import {
  authorization,
  claimsOf,
  connect,
  discover,
  SECOND_USER,
  useEmulator,
  WORKER_CLIENT,
} from '../test/helpers.js';
import type { EmulatorUser } from './types.js';

const NO_ROLE: EmulatorUser = {
  id: '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  username: 'norole',
  password: 'norole-password',
  email: 'norole@example.com',
  givenName: 'No',
  familyName: 'Role',
};
const DATA_ADMIN: EmulatorUser = {
  id: '7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
  username: 'dataadmin',
  password: 'dataadmin-password',
  email: 'dataadmin@example.com',
  givenName: 'Data',
  familyName: 'Admin',
  roleAssignments: [{ role: 'Identity Data Admin' }],
};
const ORG_ADMIN: EmulatorUser = {
  id: '8c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f',
  username: 'orgadmin',
  password: 'orgadmin-password',
  email: 'orgadmin@example.com',
  givenName: 'Org',
  familyName: 'Admin',
  roleAssignments: [{ role: 'Organization Admin', scope: { type: 'ORGANIZATION' } }],
};
const ELSEWHERE_ADMIN: EmulatorUser = {
  id: '9d4e5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f7a',
  username: 'elsewhere',
  password: 'elsewhere-password',
  email: 'elsewhere@example.com',
  givenName: 'Else',
  familyName: 'Where',
  roleAssignments: [
    {
      role: 'Environment Admin',
      scope: { type: 'ENVIRONMENT', id: '11111111-2222-4333-8444-555555555555' },
    },
  ],
};

describe('Management API access by roles for Worker apps, by self-service scopes for Web Apps (administrator-permissions-and-role-assignments, error-codes)', () => {
  const emulator = useEmulator({
    clients: [DEFAULT_CLIENT, WORKER_CLIENT],
    users: [DEFAULT_USER, SECOND_USER, NO_ROLE, DATA_ADMIN, ORG_ADMIN, ELSEWHERE_ADMIN],
  });

  async function workerToken(username: string): Promise<string> {
    const tokens = await connect(emulator(), {
      client: WORKER_CLIENT,
      params: { scope: 'openid profile' },
      approve: { username },
    });
    return tokens.access_token;
  }

  function get(path: string, token: string): Promise<Response> {
    return fetch(`${emulator().apiBaseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  }

  const userPath = (userId: string) =>
    `/v1/environments/${emulator().environmentId}/users/${userId}`;

  async function expectAccessFailed(response: Response): Promise<void> {
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: 'ACCESS_FAILED',
      message: 'The request could not be completed. You do not have access to this resource.',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  }

  it('a Web App token gets 403 ACCESS_FAILED at GET /v1/environments, although its user holds Environment Admin', async () => {
    const { access_token } = await connect(emulator());
    await expectAccessFailed(await get('/v1/environments?limit=10', access_token));
  });

  it('a Worker app token of a user holding Environment Admin lists the environment', async () => {
    const response = await get(
      '/v1/environments?limit=10',
      await workerToken(DEFAULT_USER.username),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      _embedded: { environments: [{ id: emulator().environmentId }] },
      count: 1,
    });
  });

  it('an Organization Admin scoped to the organization lists it too', async () => {
    const response = await get('/v1/environments', await workerToken(ORG_ADMIN.username));
    expect(response.status).toBe(200);
  });

  it('a Worker app token of a user without a role gets 403 ACCESS_FAILED', async () => {
    await expectAccessFailed(await get('/v1/environments', await workerToken(NO_ROLE.username)));
  });

  it('a role that does not read environments (Identity Data Admin) gets 403 there', async () => {
    await expectAccessFailed(await get('/v1/environments', await workerToken(DATA_ADMIN.username)));
  });

  it('Environment Admin of another environment lists nothing of this one', async () => {
    const response = await get('/v1/environments', await workerToken(ELSEWHERE_ADMIN.username));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ _embedded: { environments: [] }, count: 0 });
  });

  it('a Worker app’s access token is a PingOne API JWT with OpenID Connect scopes only', async () => {
    const claims = claimsOf(await workerToken(DEFAULT_USER.username));
    expect(claims).toMatchObject({
      aud: [emulator().apiBaseUrl],
      client_id: WORKER_CLIENT.clientId,
      scope: 'openid profile',
      env: emulator().environmentId,
    });
  });

  it('a Worker app may request only OpenID Connect scopes: p1: scopes get invalid_scope', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, WORKER_CLIENT, { scope: 'openid p1:read:user' });
    const callback = await emulator().approve(url);
    expect(callback.searchParams.get('error')).toBe('invalid_scope');
    expect(callback.searchParams.get('error_description')).toMatch(
      /^The request could not be completed\. One or more validation errors were in the request\./,
    );
  });

  it('Identity Data Admin in a Worker app token reads another user’s record', async () => {
    const response = await get(userPath(SECOND_USER.id), await workerToken(DATA_ADMIN.username));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: SECOND_USER.id,
      username: SECOND_USER.username,
    });
  });

  it('self-service scopes reach only the user’s own record, whatever roles the user holds', async () => {
    const { access_token } = await connect(emulator(), {
      approve: { username: DATA_ADMIN.username },
    });
    expect((await get(userPath(DATA_ADMIN.id), access_token)).status).toBe(200);
    await expectAccessFailed(await get(userPath(SECOND_USER.id), access_token));
  });

  it('a Worker app token without an identity data role cannot read a user, not even its own', async () => {
    await expectAccessFailed(
      await get(userPath(DEFAULT_USER.id), await workerToken(DEFAULT_USER.username)),
    );
  });
});

describe('the roleAssignments and applicationType options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an unknown role', { users: [{ ...DEFAULT_USER, roleAssignments: [{ role: 'Superuser' }] }] }],
    [
      'an unknown scope type',
      {
        users: [
          {
            ...DEFAULT_USER,
            roleAssignments: [{ role: 'Environment Admin', scope: { type: 'POPULATION' } }],
          },
        ],
      },
    ],
    [
      'a scope id that is not a uuid',
      {
        users: [
          {
            ...DEFAULT_USER,
            roleAssignments: [
              { role: 'Environment Admin', scope: { type: 'ENVIRONMENT', id: 'x' } },
            ],
          },
        ],
      },
    ],
    ['an unknown application type', { clients: [{ ...DEFAULT_CLIENT, applicationType: 'SPA' }] }],
  ])('refuses %s with a TypeError', async (_, options) => {
    await expect(startEmulator(options as never)).rejects.toThrow(TypeError);
  });

  it('gives the demo user Environment Admin of the emulator’s environment', async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.users[0]?.roleAssignments).toEqual([
        { role: 'Environment Admin', scope: { type: 'ENVIRONMENT', id: emulator.environmentId } },
      ]);
      expect(emulator.clients[0]?.applicationType).toBe('WEB_APP');
    } finally {
      await emulator.close();
    }
  });
});
