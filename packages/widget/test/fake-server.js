// @ts-check
// A stand-in for the pingone-connect server's browser-facing side, for the element's tests and
// the states screenshot: `POST /oauth/connect`, `GET /connect/attempts/:id` (Bearer, CORS), a
// result page that posts a message to its opener like the real one, redirect mode (DESIGN §4.9:
// a form with `return_to` gets a `303` to a stand-in sign-in page, and the stand-in callback a
// `303` back to `return_to` with `pingone_connect_attempt` added), and a page served with
// `Cross-Origin-Opener-Policy: same-origin`. It listens on two loopback ports: `origin` plays the
// server, `otherOrigin` a foreign site serving the same pages. Tests steer it through `/__test/*`.
import { createServer } from 'node:http';

/**
 * @typedef {{ status: number, body: unknown }} Reply
 * @typedef {{ url?: string, contentType?: string, origin?: string, referer?: string, userAgent?: string, fields?: Record<string, string> }} Post
 * @typedef {{ token: string, reply: Reply, polls: number, post: Post, callbackReferer?: string }} Attempt
 */

/** How long a long-poll on `/__test/*` waits before answering 408 (the test then fails). */
const WAIT_MS = 10_000;

/** @param {unknown} value */
const json = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The result page: posts `payload` to `window.opener` (or `parent`) with `targetOrigin`, then
 * closes itself unless told otherwise.
 * @param {URLSearchParams} query
 */
function resultPage(query) {
  const payload =
    query.get('as') === 'string'
      ? query.get('payload')
      : JSON.parse(query.get('payload') ?? 'null');
  const to = query.get('to') === 'parent' ? 'parent' : 'opener';
  const close = query.get('close') !== '0';
  return `<!doctype html><meta charset="utf-8"><title>Result</title><p>Result page</p><script>
    window.${to}.postMessage(${json(payload)}, ${json(query.get('target') ?? '*')});
    ${close ? 'window.close();' : ''}
  </script>`;
}

/** Starts the fake server; resolves once both ports listen. */
export async function startFakeServer() {
  /** @type {Map<string, Attempt>} */
  const attempts = new Map();
  /** @type {Set<() => void>} */
  const waiters = new Set();
  const changed = () => {
    for (const wake of [...waiters]) wake();
  };

  /**
   * Resolves with `read()` once it is defined, re-checking on every change; undefined on timeout.
   * @template T
   * @param {() => T | undefined} read
   * @returns {Promise<T | undefined>}
   */
  function waitFor(read) {
    return new Promise((resolve) => {
      const check = () => {
        const value = read();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(undefined);
      }, WAIT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  /** @param {string} id */
  function attempt(id) {
    let entry = attempts.get(id);
    if (!entry) {
      entry = {
        token: '',
        reply: { status: 200, body: { status: 'pending' } },
        polls: 0,
        post: {},
      };
      attempts.set(id, entry);
    }
    return entry;
  }

  /** @param {import('node:http').IncomingMessage} req */
  async function readBody(req) {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (/** @type {number} */ status, /** @type {string} */ body, headers = {}) => {
      res.writeHead(status, { 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    const sendJson = (/** @type {number} */ status, /** @type {unknown} */ body, headers = {}) =>
      send(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
    const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', vary: 'origin' };
    const anyone = { 'access-control-allow-origin': '*' };
    let match;

    if (req.method === 'POST' && url.pathname === '/oauth/connect') {
      const fields = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const entry = attempt(String(fields.attempt_id));
      entry.token = String(fields.session_token);
      entry.post = {
        url: req.url,
        contentType: req.headers['content-type'],
        origin: req.headers.origin,
        referer: req.headers.referer ?? '',
        userAgent: req.headers['user-agent'] ?? '',
        fields,
      };
      changed();
      if (fields.return_to) {
        // Redirect mode: on to "PingOne", whose sign-in ends at the callback below.
        return send(303, '', {
          location: `/sign-in?attempt_id=${encodeURIComponent(fields.attempt_id ?? '')}`,
        });
      }
      return send(
        200,
        '<!doctype html><meta charset="utf-8"><title>Sign in</title><p>Stand-in sign-in page</p>',
        {
          'content-type': 'text/html; charset=utf-8',
        },
      );
    }
    if ((match = /^\/connect\/attempts\/([^/]+)$/.exec(url.pathname))) {
      if (req.method === 'OPTIONS') {
        return send(204, '', {
          ...cors,
          'access-control-allow-methods': 'GET',
          'access-control-allow-headers': 'authorization',
        });
      }
      const entry = attempts.get(decodeURIComponent(match[1] ?? ''));
      if (!entry)
        return sendJson(
          400,
          { error: { code: 'invalid_request', message: 'Unknown attempt.' } },
          cors,
        );
      entry.polls += 1;
      changed();
      if (req.headers.authorization !== `Bearer ${entry.token}`) {
        return sendJson(
          401,
          { error: { code: 'session_invalid', message: 'Invalid session token.' } },
          cors,
        );
      }
      return sendJson(entry.reply.status, entry.reply.body, cors);
    }
    if (url.pathname === '/sign-in') {
      return send(
        200,
        '<!doctype html><meta charset="utf-8"><title>Sign in</title><p>Stand-in sign-in page</p>',
        { 'content-type': 'text/html; charset=utf-8' },
      );
    }
    if (url.pathname === '/oauth/callback') {
      // Where PingOne sends the browser back (with code and state, which a test need not
      // send): the real server finishes the flow, then sends the browser back to `return_to`
      // with only the attempt id added. The outcome is whatever the test set for the poll.
      const id = url.searchParams.get('attempt_id') ?? '';
      const entry = attempts.get(id);
      const returnTo = entry?.post.fields?.return_to;
      if (!entry || !returnTo) return send(400, 'Unknown attempt');
      entry.callbackReferer = req.headers.referer ?? '';
      const back = new URL(returnTo);
      // Appended to the query as it is: `searchParams` would re-encode the other parameters.
      back.search = `${back.search || '?'}${back.search ? '&' : ''}pingone_connect_attempt=${encodeURIComponent(id)}`;
      return send(303, '', { location: back.href });
    }
    if (url.pathname === '/result') {
      return send(200, resultPage(url.searchParams), {
        'content-type': 'text/html; charset=utf-8',
      });
    }
    if (url.pathname === '/coop') {
      return send(
        200,
        '<!doctype html><meta charset="utf-8"><title>Sign in</title><p>Isolated page</p>',
        {
          'content-type': 'text/html; charset=utf-8',
          'cross-origin-opener-policy': 'same-origin',
        },
      );
    }
    if (req.method === 'POST' && (match = /^\/__test\/attempts\/([^/]+)$/.exec(url.pathname))) {
      const entry = attempt(decodeURIComponent(match[1] ?? ''));
      entry.reply = JSON.parse(await readBody(req));
      changed();
      // Every poll counted from here on gets the new answer.
      return sendJson(200, { polls: entry.polls }, anyone);
    }
    if ((match = /^\/__test\/attempts\/([^/]+)\/post$/.exec(url.pathname))) {
      const id = decodeURIComponent(match[1] ?? '');
      const post = await waitFor(() => attempts.get(id)?.post.fields && attempts.get(id)?.post);
      return post
        ? sendJson(200, { ...post, callbackReferer: attempts.get(id)?.callbackReferer }, anyone)
        : sendJson(408, {}, anyone);
    }
    if ((match = /^\/__test\/attempts\/([^/]+)\/polls$/.exec(url.pathname))) {
      const id = decodeURIComponent(match[1] ?? '');
      const after = Number(url.searchParams.get('after') ?? 0);
      const polls = await waitFor(() => {
        const count = attempts.get(id)?.polls ?? 0;
        return count > after ? count : undefined;
      });
      return polls === undefined ? sendJson(408, {}, anyone) : sendJson(200, { polls }, anyone);
    }
    send(404, 'Not found');
  }

  const listen = () =>
    /** @type {Promise<{ server: import('node:http').Server, origin: string }>} */ (
      new Promise((resolve, reject) => {
        const server = createServer((req, res) => {
          handle(req, res).catch(() => {
            if (!res.headersSent) res.writeHead(500);
            res.end();
          });
        });
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          if (!address || typeof address === 'string') return reject(new Error('no port'));
          resolve({ server, origin: `http://127.0.0.1:${address.port}` });
        });
      })
    );
  const main = await listen();
  const other = await listen();
  return {
    origin: main.origin,
    otherOrigin: other.origin,
    /** Stops both listeners, dropping open connections. */
    async close() {
      for (const { server } of [main, other]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/**
 * A web-test-runner plugin that runs the fake server for the duration of the test run; the
 * test page learns its origins from `window.fakeServer`, set by `testRunnerHtml`.
 */
export function fakeServerPlugin() {
  /** @type {Awaited<ReturnType<typeof startFakeServer>> | undefined} */
  let running;
  return {
    name: 'pingone-connect-fake-server',
    async serverStart() {
      running = await startFakeServer();
    },
    async serverStop() {
      await running?.close();
    },
    /** The inline script that tells the test page where the fake server is. */
    pageScript() {
      if (!running) throw new Error('the fake server is not running');
      return `<script>window.fakeServer = ${json({ origin: running.origin, otherOrigin: running.otherOrigin })};</script>`;
    },
  };
}
