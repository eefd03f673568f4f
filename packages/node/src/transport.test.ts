import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PingOneConnect } from './client.js';
import { PingOneConnectError, PingOneConnectTransportError } from './errors.js';
import { rejection } from '../test/rejection.js';

// Failures no healthy server produces on demand: a gateway in front of the server, a server that
// hangs, and nothing listening at all. Each is a real socket on the loopback interface.

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Listens on a loopback port and resolves with its URL. */
async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that takes requests and never answers; `received` resolves on the first. */
async function hangingServer(): Promise<{ host: string; received: Promise<void> }> {
  let arrived!: () => void;
  const received = new Promise<void>((resolve) => (arrived = resolve));
  const host = await listen(() => arrived());
  return { host, received };
}

describe('transport failures', () => {
  it('rejects with network_error and status 0 when nothing listens', async () => {
    const host = await listen(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const client = new PingOneConnect({ secretKey: 'sk_test', host });
    const error = await rejection(client.listConnections());
    expect(error).toBeInstanceOf(PingOneConnectTransportError);
    expect(error).toMatchObject({
      name: 'PingOneConnectTransportError',
      code: 'network_error',
      status: 0,
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rejects with timeout when the server does not answer', async () => {
    const { host } = await hangingServer();
    const client = new PingOneConnect({ secretKey: 'sk_test', host, timeoutMs: 20 });
    const error = await rejection(client.getConnection('conn_01'));
    expect(error).toBeInstanceOf(PingOneConnectTransportError);
    expect(error).toMatchObject({ code: 'timeout', status: 0 });
  });

  it('rejects with timeout when the body stalls after the headers', async () => {
    const host = await listen((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":[');
    });
    const client = new PingOneConnect({ secretKey: 'sk_test', host });
    const error = await rejection(client.listLogs({ timeoutMs: 20 }));
    expect(error).toMatchObject({ code: 'timeout', status: 0 });
  });

  it("rejects with the caller's abort reason when the caller aborts", async () => {
    const { host, received } = await hangingServer();
    const client = new PingOneConnect({ secretKey: 'sk_test', host });
    const controller = new AbortController();
    const call = rejection(client.deleteConnection('conn_01', { signal: controller.signal }));
    await received;
    const reason = new Error('shutting down');
    controller.abort(reason);
    expect(await call).toBe(reason);
  });

  it("rejects with a coded error for a gateway's HTML error page", async () => {
    const host = await listen((_, response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    });
    const client = new PingOneConnect({ secretKey: 'sk_test', host });
    const error = await rejection(client.listConnections());
    expect(error).toBeInstanceOf(PingOneConnectError);
    expect(error).toMatchObject({ code: 'internal_error', status: 502, upstream: false });
  });

  it('rejects with internal_error for a 2xx answer that is not JSON', async () => {
    const host = await listen((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome</h1>');
    });
    const client = new PingOneConnect({ secretKey: 'sk_test', host });
    const error = await rejection(client.listConnections());
    expect(error).toMatchObject({ code: 'internal_error', status: 200 });
  });

  it('never puts the secret key in an error', async () => {
    const secretKey = 'sk_live_do-not-leak';
    const { host } = await hangingServer();
    const client = new PingOneConnect({ secretKey, host, timeoutMs: 20 });
    const error = (await rejection(client.getConnection('conn_01'))) as Error;
    expect(
      JSON.stringify({ ...error, message: error.message, cause: String(error.cause) }),
    ).not.toContain(secretKey);
  });
});

describe('PingOneConnect constructor', () => {
  const host = 'http://127.0.0.1:3000';

  it.each([
    ['no secretKey', { host }],
    ['an empty secretKey', { host, secretKey: '' }],
    ['a secretKey with a line break', { host, secretKey: 'sk\nX-Injected: 1' }],
    ['no host', { secretKey: 'sk' }],
    ['a relative host', { secretKey: 'sk', host: 'connect.example.com' }],
    ['a host that is not http(s)', { secretKey: 'sk', host: 'ftp://connect.example.com' }],
    ['a host with credentials', { secretKey: 'sk', host: 'https://user:pass@connect.example.com' }],
    ['a host with a query', { secretKey: 'sk', host: 'https://connect.example.com/?x=1' }],
    ['a zero timeout', { secretKey: 'sk', host, timeoutMs: 0 }],
    ['a fractional timeout', { secretKey: 'sk', host, timeoutMs: 1.5 }],
    ['a fetch that is not a function', { secretKey: 'sk', host, fetch: 'fetch' }],
  ])('throws TypeError for %s', (_, options) => {
    expect(() => new PingOneConnect(options as never)).toThrow(TypeError);
  });

  it('accepts a URL object as host', () => {
    expect(new PingOneConnect({ secretKey: 'sk', host: new URL(host) })).toBeInstanceOf(
      PingOneConnect,
    );
  });

  it('rejects an empty connection id before sending anything', async () => {
    const client = new PingOneConnect({ secretKey: 'sk', host });
    await expect(client.getConnection('')).rejects.toThrow(TypeError);
    await expect(client.deleteConnection('')).rejects.toThrow(TypeError);
  });
});
