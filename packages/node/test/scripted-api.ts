// A stand-in for the PingOne API on a loopback port, for the answers the emulator never gives
// (a next link elsewhere): it answers every request with the page a test sets and records the
// requests' targets.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedApi {
  /** Its base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The request targets received, in order. */
  readonly requests: string[];
  /** The JSON body every request is answered with (200). */
  answer(body: unknown): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startScriptedApi(): Promise<ScriptedApi> {
  const requests: string[] = [];
  let body: unknown = {};
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(next) {
      body = next;
    },
    reset() {
      requests.length = 0;
      body = {};
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
