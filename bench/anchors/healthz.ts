// Anchor for `GET /healthz`: the cheapest answer a Hono app on @hono/node-server gives.
import { Hono } from 'hono';
import { listenHono } from './listen.js';

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
listenHono('healthz anchor', app);
