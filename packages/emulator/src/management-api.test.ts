import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import { connect, SECOND_USER, useEmulator, WORKER_CLIENT } from '../test/helpers.js';

interface ApiError {
  id: string;
  code: string;
  message: string;
}

describe('the Management API slice', () => {
  const emulator = useEmulator({
    clients: [DEFAULT_CLIENT, WORKER_CLIENT],
    users: [DEFAULT_USER, SECOND_USER],
  });
  /** A token for the server's default scopes `openid profile email p1:read:user`. */
  let readUser: string;
  /** A PingOne API token without p1:read:user. */
  let readDevice: string;
  /** A Worker app's token for the demo user, who holds Environment Admin. */
  let admin: string;

  beforeAll(async () => {
    readUser = (await connect(emulator())).access_token;
    readDevice = (await connect(emulator(), { params: { scope: 'openid p1:read:device' } }))
      .access_token;
    admin = (await connect(emulator(), { client: WORKER_CLIENT, params: { scope: 'openid' } }))
      .access_token;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function get(path: string, token?: string): Promise<Response> {
    return fetch(`${emulator().apiBaseUrl}${path}`, {
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });
  }

  const userPath = (userId = DEFAULT_USER.id, environmentId = emulator().environmentId) =>
    `/v1/environments/${environmentId}/users/${userId}`;

  async function expectApiError(
    response: Response,
    status: number,
    code: string,
  ): Promise<ApiError> {
    expect(response.status).toBe(status);
    const body = (await response.json()) as ApiError;
    expect(body).toMatchObject({
      code,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      message: expect.any(String),
    });
    return body;
  }

  it('lists environments in PingOne’s _embedded shape with count and size', async () => {
    const response = await get('/v1/environments?limit=10', admin);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      _links: { self: { href: `${emulator().apiBaseUrl}/v1/environments?limit=10` } },
      _embedded: {
        environments: [
          { id: emulator().environmentId, name: expect.any(String), type: 'SANDBOX', region: 'NA' },
        ],
      },
      count: 1,
      size: 1,
    });
  });

  it('refuses to list environments with self-service scopes: 403 ACCESS_FAILED', async () => {
    await expectApiError(await get('/v1/environments', readUser), 403, 'ACCESS_FAILED');
  });

  it.each([['0'], ['-1'], ['abc'], ['501'], ['1001'], ['1.5'], ['']])(
    'answers limit=%j with 400 INVALID_DATA',
    async (limit) => {
      const body = await expectApiError(
        await get(`/v1/environments?limit=${limit}`, admin),
        400,
        'INVALID_DATA',
      );
      expect(body).toMatchObject({ details: [{ target: 'limit' }] });
    },
  );

  it('returns the signed-on user’s own record with p1:read:user', async () => {
    const response = await get(userPath(), readUser);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: DEFAULT_USER.id,
      environment: { id: emulator().environmentId },
      username: DEFAULT_USER.username,
      email: DEFAULT_USER.email,
      name: { given: DEFAULT_USER.givenName, family: DEFAULT_USER.familyName },
      enabled: true,
    });
  });

  it('answers 401 without a bearer token', async () => {
    const response = await get(userPath());
    await expectApiError(response, 401, 'INVALID_TOKEN');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('answers 401 to a token that is not a JWT', async () => {
    await expectApiError(await get(userPath(), 'not-a-token'), 401, 'INVALID_TOKEN');
  });

  it('answers 401 to a token with a forged signature', async () => {
    const [header, payload] = readUser.split('.');
    const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
    await expectApiError(await get(userPath(), forged), 401, 'INVALID_TOKEN');
  });

  it('answers 401 to the opaque token of an OpenID Connect only request', async () => {
    const opaque = (await connect(emulator(), { params: { scope: 'openid profile' } }))
      .access_token;
    await expectApiError(await get('/v1/environments', opaque), 401, 'INVALID_TOKEN');
  });

  it('answers 401 to a token for another resource', async () => {
    const photos = (await connect(emulator(), { params: { scope: 'openid read:photos' } }))
      .access_token;
    await expectApiError(await get('/v1/environments', photos), 401, 'INVALID_TOKEN');
  });

  it('answers 401 to an expired token', async () => {
    // Only the clock moves: timers and sockets stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3601_000 });
    await expectApiError(await get(userPath(), readUser), 401, 'INVALID_TOKEN');
  });

  it('answers 403 without p1:read:user', async () => {
    await expectApiError(await get(userPath(), readDevice), 403, 'ACCESS_FAILED');
  });

  it('answers 403 for another user’s record', async () => {
    await expectApiError(await get(userPath(SECOND_USER.id), readUser), 403, 'ACCESS_FAILED');
  });

  it('answers 404 for another environment', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    await expectApiError(await get(userPath(DEFAULT_USER.id, other), readUser), 404, 'NOT_FOUND');
  });

  it('answers 404 for a path it does not serve', async () => {
    await expectApiError(await get('/v1/organizations', readUser), 404, 'NOT_FOUND');
  });
});
