import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { connect, useEmulator, WORKER_CLIENT } from '../test/helpers.js';
import type { EmulatorUser } from './types.js';

const DATA_ADMIN: EmulatorUser = {
  id: '7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
  username: 'dataadmin',
  password: 'dataadmin-password',
  email: 'dataadmin@example.com',
  givenName: 'Data',
  familyName: 'Admin',
  roleAssignments: [
    { role: 'Identity Data Admin', scope: { type: 'ORGANIZATION' } },
    { role: 'Organization Admin', scope: { type: 'ORGANIZATION' } },
  ],
};

interface Page<T = { id: string }> {
  _links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
  _embedded: Record<string, T[]>;
  count: number;
  size: number;
}

describe('limit 1–500 and paging with HAL _links.next (paging-ordering-collections, read-all-environments)', () => {
  const emulator = useEmulator({
    clients: [DEFAULT_CLIENT, WORKER_CLIENT],
    users: [DEFAULT_USER, DATA_ADMIN],
    extraEnvironments: 11,
    extraUsers: 450,
  });

  async function admin(): Promise<string> {
    return (
      await connect(emulator(), {
        client: WORKER_CLIENT,
        params: { scope: 'openid' },
        approve: { username: DATA_ADMIN.username },
      })
    ).access_token;
  }

  async function get(url: string, token: string): Promise<Response> {
    return fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  }

  /** Follows `_links.next` from `url`; every page. */
  async function pages(url: string, token: string): Promise<Page[]> {
    const all: Page[] = [];
    let next: string | undefined = url;
    while (next) {
      const response = await get(next, token);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Page;
      all.push(body);
      next = body._links.next?.href;
      if (next) expect(new URL(next).origin).toBe(emulator().apiBaseUrl);
    }
    return all;
  }

  it.each([['0'], ['501'], ['-1'], ['abc'], ['1.5'], ['']])(
    'answers limit=%j with 400 INVALID_DATA naming limit',
    async (limit) => {
      const response = await get(
        `${emulator().apiBaseUrl}/v1/environments?limit=${limit}`,
        await admin(),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'INVALID_DATA',
        message:
          'The request could not be completed. One or more validation errors were in the request.',
        details: [{ code: 'INVALID_VALUE', target: 'limit' }],
      });
    },
  );

  it('takes limit=500', async () => {
    const response = await get(`${emulator().apiBaseUrl}/v1/environments?limit=500`, await admin());
    expect(response.status).toBe(200);
  });

  it('pages environments with _links.next, count and size until the last page', async () => {
    const all = await pages(`${emulator().apiBaseUrl}/v1/environments?limit=5`, await admin());

    expect(all.map((p) => p.size)).toEqual([5, 5, 2]);
    expect(all.every((p) => p.count === 12)).toBe(true);
    expect(all[0]!._links.prev).toBeUndefined();
    expect(all[1]!._links.prev).toBeDefined();
    expect(all[2]!._links.next).toBeUndefined();
    const ids = all.flatMap((p) => p._embedded.environments!.map((e) => e.id));
    expect(new Set(ids).size).toBe(12);
    expect(ids[0]).toBe(emulator().environmentId);
  });

  it('without limit, answers the whole collection when it is smaller than a page', async () => {
    const response = await get(`${emulator().apiBaseUrl}/v1/environments`, await admin());
    const body = (await response.json()) as Page;
    expect(body.size).toBe(12);
    expect(body._links.next).toBeUndefined();
  });

  it('refuses a cursor it did not make with 400 INVALID_DATA naming cursor', async () => {
    const response = await get(
      `${emulator().apiBaseUrl}/v1/environments?limit=5&cursor=not-a-cursor`,
      await admin(),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ details: [{ target: 'cursor' }] });
  });

  it('pages users at most 200 at a time whatever the limit, as PingOne’s users endpoint', async () => {
    const token = await admin();
    const all = await pages(
      `${emulator().apiBaseUrl}/v1/environments/${emulator().environmentId}/users?limit=500`,
      token,
    );

    expect(all.map((p) => p.size)).toEqual([200, 200, 52]);
    const ids = all.flatMap((p) => p._embedded.users!.map((u) => u.id));
    expect(new Set(ids).size).toBe(452);
  });

  it('refuses the users list to a self-service token: 403 ACCESS_FAILED', async () => {
    const { access_token } = await connect(emulator());
    const response = await get(
      `${emulator().apiBaseUrl}/v1/environments/${emulator().environmentId}/users`,
      access_token,
    );
    expect(response.status).toBe(403);
  });

  it('lists no users in a generated environment, and 404 for one it does not have', async () => {
    const token = await admin();
    const environments = (await (
      await get(`${emulator().apiBaseUrl}/v1/environments?limit=500`, token)
    ).json()) as Page;
    const generated = environments._embedded.environments![1]!.id;

    const empty = (await (
      await get(`${emulator().apiBaseUrl}/v1/environments/${generated}/users`, token)
    ).json()) as Page;
    expect(empty).toMatchObject({ count: 0, size: 0 });
    const missing = await get(
      `${emulator().apiBaseUrl}/v1/environments/11111111-2222-4333-8444-555555555555/users`,
      token,
    );
    expect(missing.status).toBe(404);
  });

  it('generated users can sign on with their generated password', async () => {
    const tokens = await connect(emulator(), { approve: { username: 'user-7' } });
    expect(tokens.access_token).toEqual(expect.any(String));
  });
});

describe('the extraEnvironments and extraUsers options', () => {
  it.each([-1, 1.5, 10_001, '3'])('refuse %j with a TypeError', async (value) => {
    await expect(startEmulator({ extraEnvironments: value as number })).rejects.toThrow(TypeError);
    await expect(startEmulator({ extraUsers: value as number })).rejects.toThrow(TypeError);
  });

  it('generate the same ids on every start', async () => {
    const first = await startEmulator({ extraUsers: 2 });
    const second = await startEmulator({ extraUsers: 2 });
    try {
      expect(first.users.map((u) => u.id)).toEqual(second.users.map((u) => u.id));
      expect(first.users.map((u) => u.username)).toEqual(['demo', 'user-1', 'user-2']);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
