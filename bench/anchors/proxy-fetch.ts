// Anchor for the proxy the way a Hono app writes it: the route calls the global `fetch`
// (undici) and returns its Response as is. Same upstream and token as the node:http anchor.
import { Hono } from 'hono';
import { listenHono } from './listen.js';

const upstream = process.env.UPSTREAM!.replace(/\/$/, '');
const authorization = `Bearer ${process.env.ACCESS_TOKEN}`;

const app = new Hono();
app.get('/proxy/*', (c) =>
  fetch(`${upstream}${c.req.path.replace(/^\/proxy/, '')}`, {
    headers: { authorization, accept: 'application/json' },
  }),
);
listenHono('fetch proxy anchor', app);
