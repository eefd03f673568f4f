import { DEFAULT_USER } from '@pingone-connect/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PingOneApiError, PingOnePaginationError } from './errors.js';
import { failure } from '../test/rejection.js';
import { startScriptedApi, type ScriptedApi } from '../test/scripted-api.js';
import { startStack, type Stack } from '../test/stack.js';

interface Environment {
  id: string;
  name: string;
}

/** Reads an async iterable to the end. */
async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const read: T[] = [];
  for await (const item of items) read.push(item);
  return read;
}

/** The `proxy.request` entries of a connection, oldest first. */
async function proxiedPaths(stack: Stack, connectionId: string): Promise<unknown[]> {
  const entries = await stack.store.journal.list({ connectionId, limit: 100 });
  return entries
    .filter((entry) => entry.event === 'proxy.request')
    .reverse()
    .map((entry) => entry.data?.path);
}

describe('paginate against the emulator', () => {
  let stack: Stack;
  let connectionId: string;

  beforeAll(async () => {
    // A Worker app's token lists environments with the user's roles: an Organization Admin
    // sees the extra environments of the organization too.
    stack = await startStack({
      users: [
        {
          ...DEFAULT_USER,
          roleAssignments: [{ role: 'Organization Admin', scope: { type: 'ORGANIZATION' } }],
        },
      ],
      applicationType: 'WORKER',
      env: { PINGONE_SCOPES: 'openid profile email' },
      emulator: { extraEnvironments: 4 },
    });
    ({ connectionId } = await stack.connect({ session: { endUser: { id: 'user-pages' } } }));
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    stack.emulator.faults.apiRateLimit = null;
  });

  it('yields every environment over three pages of two, following _links.next', async () => {
    const before = (await proxiedPaths(stack, connectionId)).length;
    const environments = await all(
      stack.client.paginate<Environment>(connectionId, '/v1/environments', {
        embedded: 'environments',
        params: { limit: 2 },
      }),
    );
    expect(environments).toHaveLength(5);
    expect(new Set(environments.map((environment) => environment.id)).size).toBe(5);
    expect(environments.map((environment) => environment.id)).toContain(
      stack.emulator.environmentId,
    );
    expect((await proxiedPaths(stack, connectionId)).slice(before)).toEqual([
      '/v1/environments',
      '/v1/environments',
      '/v1/environments',
    ]);
  });

  it('fetches no further page once the loop stops', async () => {
    const before = (await proxiedPaths(stack, connectionId)).length;
    for await (const environment of stack.client.paginate<Environment>(
      connectionId,
      '/v1/environments',
      { embedded: 'environments', params: { limit: 2 } },
    )) {
      expect(environment.id).toBeTypeOf('string');
      break;
    }
    expect((await proxiedPaths(stack, connectionId)).length - before).toBe(1);
  });

  it('refuses a page without the _embedded list asked for', async () => {
    const error = await failure(
      all(stack.client.paginate(connectionId, '/v1/environments', { embedded: 'users' })),
    );
    expect(error).toBeInstanceOf(PingOnePaginationError);
    expect(error).toMatchObject({ code: 'provider_error', reason: 'not_a_collection' });
  });

  it('rejects with PingOne’s error as get does', async () => {
    stack.emulator.faults.apiRateLimit = { retryAfter: 60 };
    const error = await failure(
      all(stack.client.paginate(connectionId, '/v1/environments', { embedded: 'environments' })),
    );
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
  });
});

describe('paginate against a PingOne API whose next link leaves it', () => {
  let api: ScriptedApi;
  let elsewhere: ScriptedApi;
  let stack: Stack;
  let connectionId: string;

  beforeAll(async () => {
    api = await startScriptedApi();
    elsewhere = await startScriptedApi();
    stack = await startStack({ env: { PINGONE_API_BASE_URL: api.url } });
    ({ connectionId } = await stack.connect({ session: { endUser: { id: 'user-off-api' } } }));
  });
  afterAll(async () => {
    await stack?.close();
    await api?.close();
    await elsewhere?.close();
  });
  afterEach(() => {
    api.reset();
    elsewhere.reset();
  });

  /** A first page of one user whose next link is `href`. */
  function pageLinkingTo(href: string) {
    return {
      _links: { self: { href: `${api.url}/v1/environments/e/users` }, next: { href } },
      _embedded: { users: [{ id: 'u1' }] },
      count: 2,
      size: 1,
    };
  }

  it('refuses a next link to another origin without a request', async () => {
    const href = `${elsewhere.url}/v1/environments/e/users?cursor=abc`;
    api.answer(pageLinkingTo(href));
    const read: unknown[] = [];
    const error = await failure(
      (async () => {
        const users = stack.client.paginate(connectionId, '/v1/environments/e/users', {
          embedded: 'users',
        });
        for await (const user of users) read.push(user);
      })(),
    );
    expect(error).toBeInstanceOf(PingOnePaginationError);
    expect(error).toMatchObject({ code: 'provider_error', reason: 'next_off_api', href });
    expect(read).toEqual([{ id: 'u1' }]);
    expect(api.requests).toEqual(['/v1/environments/e/users']);
    expect(elsewhere.requests).toEqual([]);
  });

  it.each([
    ['outside /v1/', (base: string) => `${base}/connections?cursor=abc`],
    ['with credentials', (base: string) => base.replace('//', '//user:pw@') + '/v1/x?cursor=abc'],
    ['on another scheme', (base: string) => base.replace('http:', 'https:') + '/v1/x?cursor=abc'],
  ])('refuses a next link %s without a request', async (_, link) => {
    api.answer(pageLinkingTo(link(api.url)));
    const error = await failure(
      all(stack.client.paginate(connectionId, '/v1/environments/e/users', { embedded: 'users' })),
    );
    expect(error).toMatchObject({ reason: 'next_off_api' });
    expect(api.requests).toHaveLength(1);
  });

  it('follows a next link on the API through the proxy', async () => {
    api.answer(pageLinkingTo(`${api.url}/v1/environments/e/users?cursor=abc&limit=1`));
    const users = stack.client.paginate(connectionId, '/v1/environments/e/users', {
      embedded: 'users',
    });
    const first = await users.next();
    const second = await users.next();
    await users.return();
    expect([first.value, second.value]).toEqual([{ id: 'u1' }, { id: 'u1' }]);
    expect(api.requests).toEqual([
      '/v1/environments/e/users',
      '/v1/environments/e/users?cursor=abc&limit=1',
    ]);
  });
});
