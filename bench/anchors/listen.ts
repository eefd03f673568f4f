// How every anchor starts: a Node HTTP server on loopback at PORT, and the line the bench waits
// for on standard error. Shared so that the anchors differ only in the work they stand for.
import { createServer, type RequestListener } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

const port = Number(process.env.PORT);
const announce = (name: string) =>
  process.stderr.write(`${name} listening on http://127.0.0.1:${port}\n`);

export function listenHono(name: string, app: Hono): void {
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => announce(name));
}

export function listenNode(name: string, handler: RequestListener): void {
  createServer({ keepAliveTimeout: 60_000 }, handler).listen(port, '127.0.0.1', () =>
    announce(name),
  );
}
