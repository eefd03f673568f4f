// A stack whose server sends its webhooks to a local receiver, and a Node client that verifies
// them: the setup of the client's webhook tests.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PingOneConnect } from '../src/client.js';
import { SECRET_KEY, startStack, type Stack } from './stack.js';

/** A webhook as it arrived: headers and the raw body, untouched. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WebhookStack {
  readonly stack: Stack;
  readonly client: PingOneConnect;
  readonly webhookSecret: string;
  /** The next delivery: an explicit signal, no sleeping. */
  nextDelivery(): Promise<Delivery>;
  /** The status the receiver answers the next deliveries with (204 at first). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

export async function startWebhookStack(): Promise<WebhookStack> {
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  let status = 204;
  const deliveries: Delivery[] = [];
  const waiting: ((delivery: Delivery) => void)[] = [];
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(status).end();
      const delivery = { headers: request.headers, body: Buffer.concat(chunks) };
      const next = waiting.shift();
      if (next) next(delivery);
      else deliveries.push(delivery);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  const stack = await startStack({
    env: { WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks`, WEBHOOK_SECRET: webhookSecret },
  });
  const client = new PingOneConnect({ secretKey: SECRET_KEY, host: stack.host, webhookSecret });
  return {
    stack,
    client,
    webhookSecret,
    nextDelivery() {
      const ready = deliveries.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    answerWith(next) {
      status = next;
    },
    async close() {
      await stack.close();
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}
