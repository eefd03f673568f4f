import { DEFAULT_USER } from '@pingone-connect/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PingOneConnect } from './client.js';
import { PingOneApiError } from './errors.js';
import { failure } from '../test/rejection.js';
import { SECOND_USER, startStack, type Stack } from '../test/stack.js';

let stack: Stack;
let connectionId: string;

beforeAll(async () => {
  stack = await startStack();
  ({ connectionId } = await stack.connect({ session: { endUser: { id: 'user-proxy' } } }));
});

afterEach(() => {
  stack.emulator.faults.apiRateLimit = null;
});

afterAll(async () => {
  await stack?.close();
});

interface EnvironmentsPage {
  _embedded: { environments: { id: string; name: string }[] };
  size: number;
}

/** The signed-on user's own record: what a Web App's self-service `p1:read:user` token reads. */
function ownRecord(): string {
  return `/v1/environments/${stack.emulator.environmentId}/users/${DEFAULT_USER.id}`;
}

describe('proxy', () => {
  it("reads the signed-in user's own record", async () => {
    const response = await stack.client.get<{ id: string; username: string }>({
      endpoint: ownRecord(),
      connectionId,
      integrationId: 'pingone',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(response.data).toMatchObject({ id: DEFAULT_USER.id, username: DEFAULT_USER.username });
  });

  it("passes PingOne's 403 for a Web App listing environments through as a PingOneApiError", async () => {
    // A Web App's self-service token carries no role; only a Worker app acts with the user's.
    const error = await failure(
      stack.client.get({ endpoint: '/v1/environments', params: { limit: 10 }, connectionId }),
    );
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ upstream: true, code: 'provider_error', status: 403 });
    expect((error as PingOneApiError).data).toMatchObject({ code: 'ACCESS_FAILED' });
  });

  it("passes PingOne's refusal through as a PingOneApiError", async () => {
    const { environmentId } = stack.emulator;
    const error = await failure(
      stack.client.get({
        endpoint: `/v1/environments/${environmentId}/users/${SECOND_USER.id}`,
        connectionId,
      }),
    );
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ upstream: true, code: 'provider_error', status: 403 });
    expect((error as PingOneApiError).data).toMatchObject({ code: 'ACCESS_FAILED' });
    expect(error.message).toContain('You do not have access to this resource.');
  });

  it("reports PingOne's rate limit, longer than the proxy waits, as rate_limited with its Retry-After", async () => {
    // Over PROXY_RETRY_MAX_WAIT_MS (10 s), so the proxy passes it through at once.
    stack.emulator.faults.apiRateLimit = { retryAfter: 60 };
    const error = await failure(stack.client.get({ endpoint: '/v1/environments', connectionId }));
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect((error as PingOneApiError).headers.get('retry-after')).toBe('60');
  });

  it.each(['post', 'put', 'patch', 'delete'] as const)(
    'forwards %s with its body to PingOne',
    async (method) => {
      // The emulator's API slice has no write endpoint: its NOT_FOUND proves the call reached it.
      const call = stack.client[method]({
        endpoint: '/v1/environments',
        connectionId,
        data: { name: 'x' },
      });
      const error = await failure(call);
      expect(error).toBeInstanceOf(PingOneApiError);
      expect(error.status).toBe(404);
      expect((error as PingOneApiError).data).toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it('answers connection_not_found from the server, not as an upstream error', async () => {
    const error = await failure(
      stack.client.get({
        endpoint: '/v1/environments',
        connectionId: 'conn_0000000000unknown000000000',
      }),
    );
    expect(error).not.toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ code: 'connection_not_found', status: 404, upstream: false });
  });

  it('answers unauthorized for a wrong secret key, not as an upstream error', async () => {
    const client = new PingOneConnect({ secretKey: 'x'.repeat(48), host: stack.host });
    const error = await failure(client.get({ endpoint: '/v1/environments', connectionId }));
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, upstream: false });
  });

  it('answers invalid_request for an unknown integration', async () => {
    const error = await failure(
      stack.client.get({ endpoint: '/v1/environments', connectionId, integrationId: 'other' }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, upstream: false });
  });
});

describe('proxy for a Worker app, whose token acts with the user’s roles', () => {
  let worker: Stack;
  let workerConnectionId: string;

  beforeAll(async () => {
    // The demo user holds Environment Admin of the emulator's environment.
    worker = await startStack({
      applicationType: 'WORKER',
      env: { PINGONE_SCOPES: 'openid profile email' },
    });
    ({ connectionId: workerConnectionId } = await worker.connect({
      session: { endUser: { id: 'user-worker' } },
    }));
  });

  afterAll(async () => {
    await worker?.close();
  });

  it('calls GET /v1/environments?limit=10 as the PingOne quickstart does', async () => {
    const response = await worker.client.get<EnvironmentsPage>({
      endpoint: '/v1/environments',
      params: { limit: 10 },
      connectionId: workerConnectionId,
      integrationId: 'pingone',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(response.data._embedded.environments.map((environment) => environment.id)).toEqual([
      worker.emulator.environmentId,
    ]);
  });

  it('takes the query string from the endpoint as well', async () => {
    // PingOne refusing `limit=0` shows the query string reached it.
    const error = await failure(
      worker.client.get({ endpoint: '/v1/environments?limit=0', connectionId: workerConnectionId }),
    );
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ upstream: true, status: 400 });
    expect((error as PingOneApiError).data).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ target: 'limit' }],
    });
  });
});
