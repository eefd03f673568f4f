import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PingOneConnect } from './client.js';
import { PingOneApiError } from './errors.js';
import { failure } from '../test/rejection.js';
import { SECRET_KEY, startStack, type Stack } from '../test/stack.js';

// A redirect followed by the client goes out again with the secret key: a relative `Location`
// from PingOne (or anything answering in its name) lands on the server's own API, and a 307
// replays the method and body there. The PingOne API here is a scripted stand-in on a loopback
// port, since the emulator's API never redirects; sign-in still runs against the emulator.

type Responder = (request: IncomingMessage, response: ServerResponse) => void;

const answerOk: Responder = (_, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

const servers: Server[] = [];

async function listen(handler: Responder): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let respond: Responder = answerOk;
let stack: Stack;
let connectionId: string;

beforeAll(async () => {
  const api = await listen((request, response) => respond(request, response));
  stack = await startStack({ env: { PINGONE_API_BASE_URL: api } });
  ({ connectionId } = await stack.connect({ session: { endUser: { id: 'user-redirect' } } }));
});

afterEach(() => {
  respond = answerOk;
});

afterAll(async () => {
  await stack?.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The paths of the server's own requests logged from `from` on. */
function serverPaths(from: number): string[] {
  return stack.logs
    .slice(from)
    .map((line) => JSON.parse(line) as { event?: string; method?: string; path?: string })
    .filter((entry) => entry.event === 'http.request')
    .map((entry) => `${entry.method} ${entry.path}`);
}

describe('§5.15 the Node client follows no redirect', () => {
  it('returns a proxied 302 to the server’s own API as PingOne’s 302, without following it', async () => {
    respond = (_, response) => {
      response.writeHead(302, { location: '/connections?limit=100' }).end();
    };
    const from = stack.logs.length;
    const error = await failure(stack.client.get({ endpoint: '/v1/environments', connectionId }));
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ upstream: true, status: 302 });
    expect((error as PingOneApiError).headers.get('location')).toBe('/connections?limit=100');
    expect(error.message).toMatch(/redirect/);
    expect(serverPaths(from)).toEqual(['GET /proxy/v1/environments']);
  });

  it('does not replay a DELETE that PingOne answers with a 307 to the server’s own API', async () => {
    // A connection of its own: replayed, this DELETE would delete it.
    const target = await stack.connect({ session: { endUser: { id: 'user-redirect-307' } } });
    respond = (_, response) => {
      response.writeHead(307, { location: `/connections/${target.connectionId}` }).end();
    };
    const from = stack.logs.length;
    const error = await failure(
      stack.client.delete({
        endpoint: '/v1/environments/e/users/u',
        connectionId: target.connectionId,
      }),
    );
    expect(error).toBeInstanceOf(PingOneApiError);
    expect(error).toMatchObject({ upstream: true, status: 307 });
    expect(serverPaths(from)).toEqual(['DELETE /proxy/v1/environments/e/users/u']);
    expect(await stack.store.connections.find(target.connectionId)).toBeDefined();
  });

  it('does not replay a POST body that PingOne answers with a 308 elsewhere', async () => {
    const elsewhere: string[] = [];
    const collector = await listen((request, response) => {
      elsewhere.push(`${request.method} ${request.url}`);
      answerOk(request, response);
    });
    respond = (_, response) => {
      response.writeHead(308, { location: `${collector}/collect` }).end();
    };
    const error = await failure(
      stack.client.post({ endpoint: '/v1/environments', connectionId, data: { name: 'x' } }),
    );
    expect(error).toMatchObject({ upstream: true, status: 308 });
    expect(elsewhere).toEqual([]);
  });

  it('does not follow a redirect on its own API calls, which would carry the secret key along', async () => {
    const elsewhere: { url: string; authorization: string | undefined }[] = [];
    const collector = await listen((request, response) => {
      elsewhere.push({ url: request.url ?? '', authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
    });
    // What a misconfigured load balancer in front of the server might answer.
    const host = await listen((_, response) => {
      response.writeHead(301, { location: `${collector}/connections` }).end();
    });
    const client = new PingOneConnect({ secretKey: SECRET_KEY, host });
    const error = await failure(client.listConnections());
    expect(error).toMatchObject({ code: 'internal_error', status: 301, upstream: false });
    expect(error.message).toMatch(/redirect/);
    expect(elsewhere).toEqual([]);
  });
});
