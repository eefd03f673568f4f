// Anchor for the proxy: node:http in, node:http out over a keep-alive agent, the upstream answer
// piped back. `/proxy/<path>` goes to `UPSTREAM<path>` with a fixed bearer token: the floor of
// any forwarding hop, without the key check and credential read the project adds.
import { Agent, request } from 'node:http';
import { listenNode } from './listen.js';

const upstream = new URL(process.env.UPSTREAM!);
const authorization = `Bearer ${process.env.ACCESS_TOKEN}`;
const agent = new Agent({ keepAlive: true });

listenNode('node:http proxy anchor', (req, res) => {
  const path = `${upstream.pathname.replace(/\/$/, '')}${(req.url ?? '/').replace(/^\/proxy/, '')}`;
  const forwarded = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path,
      method: req.method,
      agent,
      headers: { authorization, accept: 'application/json' },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, {
        'content-type': answer.headers['content-type'] ?? 'application/json',
      });
      answer.pipe(res);
    },
  );
  forwarded.on('error', () => res.writeHead(502).end());
  req.pipe(forwarded);
});
