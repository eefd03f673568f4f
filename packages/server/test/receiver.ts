// A webhook receiver on a loopback port for tests: records each request and answers with the
// status the test sets; `next()` waits for a delivery (an explicit signal, no sleeping).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as it arrived: method, headers and the raw body. */
export interface Delivery {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running receiver. */
export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every request so far. */
  readonly received: Delivery[];
  /** The status the next requests get. Default 204. */
  status: number;
  /** Extra headers of the answers. */
  headers: Record<string, string>;
  /** The body of the answers. Default none. */
  body: string;
  /** The next request not yet taken by `next()`. */
  next(): Promise<Delivery>;
  close(): Promise<void>;
}

/** Starts a receiver on `port` (default: any free loopback port). */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Delivery[] = [];
  const queued: Delivery[] = [];
  const waiting: ((delivery: Delivery) => void)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(receiver.status, receiver.headers).end(receiver.body);
      const delivery = {
        method: request.method ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(delivery);
      const waiter = waiting.shift();
      if (waiter) waiter(delivery);
      else queued.push(delivery);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${actual}/webhooks`,
    port: actual,
    received,
    status: 204,
    headers: {},
    body: '',
    next: () => {
      const ready = queued.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return receiver;
}
