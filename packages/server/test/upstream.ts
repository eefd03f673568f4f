// For the proxy tests: a recording stand-in for the PingOne API on a loopback port, where a test
// must see exactly what arrived on the wire (headers, raw target, body bytes) or script an
// answer the emulator cannot give (set-cookie, a redirect, silence); and raw requests, whose
// targets go out unnormalized.
import {
  request as httpRequest,
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the upstream received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The raw request target. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** How the upstream answers; the default is `200 {"ok":true}`. */
export type UpstreamResponder = (request: RecordedRequest, response: ServerResponse) => void;

/** A recording upstream. */
export interface RecordingUpstream {
  /** Its base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces how it answers. */
  respond(responder: UpstreamResponder): void;
  /** Forgets the requests and answers `200 {"ok":true}` again. */
  reset(): void;
  close(): Promise<void>;
}

const answerOk: UpstreamResponder = (_, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts a recording upstream on a loopback port. */
export async function startUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  let responder = answerOk;
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded: RecordedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        rawHeaders: incoming.rawHeaders,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      responder(recorded, response);
    });
  });
  const url = await listen(server);
  return {
    url,
    requests,
    respond(next) {
      responder = next;
    },
    reset() {
      requests.length = 0;
      responder = answerOk;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What {@link rawRequest} got back. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * Sends a request whose target goes on the wire exactly as given (`fetch` would normalize
 * `..` and `%2e%2e` away before sending).
 */
export function rawRequest(
  base: string,
  target: string,
  options: {
    method?: string;
    headers?: Record<string, string | string[]>;
    body?: Buffer | string;
  } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: target,
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
