import { IncomingMessage, type ServerResponse } from 'node:http';
import { presentedClient, type PresentedClient } from './client-auth.js';
import type { ClientSecrets } from './client-secrets.js';
import { apiErrorBody } from './api-errors.js';
import { oauthError } from './correlation-id.js';
import type { Provider } from './quiet-oidc-provider.js';
import { sendJson } from './send-json.js';
import type { TokenCounter } from './token-counter.js';
import type { EmulatorFaults, TokenEndpointAuthMethod } from './types.js';

/** oidc-provider's own limit for a request body. */
const BODY_LIMIT = 56 * 1024;

export interface OidcBridgeInput {
  provider: Provider;
  /** The issuer's path, `/{environmentId}/as`. */
  issuerPath: string;
  /** Paths (below the issuer) of the endpoints handled here before oidc-provider. */
  paths: {
    token: string;
    revocation: string;
    introspection: string;
    par: string;
    userinfo: string;
  };
  /** Answers UserInfo requests bearing a JWT access token; false leaves the request to oidc-provider. */
  userinfo: (req: IncomingMessage, res: ServerResponse) => Promise<void> | false;
  /** The registered authentication method of a client, or undefined for an unknown client. */
  authMethodOf: (clientId: string) => TokenEndpointAuthMethod | undefined;
  /** The secrets PingOne takes now, and the inner ones oidc-provider knows the clients by. */
  secrets: ClientSecrets;
  faults: EmulatorFaults;
  counter: TokenCounter;
  /** Aborted when the emulator closes: ends delayed responses. */
  closing: AbortSignal;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new RangeError('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * A stand-in for a request whose body was already read: same socket, method, URL and headers,
 * and a body stream that yields `body` again, so oidc-provider parses the request as it came.
 */
function replay(
  req: IncomingMessage,
  body: Buffer,
  headers: IncomingMessage['headers'] = req.headers,
): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    originalUrl: (req as { originalUrl?: string }).originalUrl,
    headers,
    // oidc-provider reads `headers`; the raw list is kept only when nothing was rewritten.
    rawHeaders: headers === req.headers ? req.rawHeaders : [],
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    // Marks the message as fully received: an incomplete one destroys its socket when it ends.
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

function formOf(req: IncomingMessage, body: Buffer): URLSearchParams {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return new URLSearchParams(
    type === 'application/x-www-form-urlencoded' ? body.toString('utf8') : '',
  );
}

/**
 * Serves oidc-provider under the issuer's path. It strips the prefix and keeps the full URL in
 * `req.originalUrl`, from which oidc-provider derives its mount path (without it, interaction
 * redirects would lose the prefix).
 *
 * Requests that authenticate a client are read here first. Token requests are counted by grant
 * type and meet the fault switches before oidc-provider sees them. And each client must use the
 * authentication method it is registered with, as PingOne insists; oidc-provider, on its own,
 * takes `client_secret_basic` and `client_secret_post` interchangeably.
 *
 * @returns a request listener that answers `false` when a request is not under the issuer
 */
export function createOidcBridge(
  input: OidcBridgeInput,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { provider, issuerPath, paths, authMethodOf, secrets } = input;
  const { userinfo, faults, counter, closing } = input;
  const callback = provider.callback();
  const clientAuthPaths = new Set([paths.token, paths.revocation, paths.introspection, paths.par]);

  /**
   * The request as oidc-provider must see it: a secret (or an HMAC assertion) PingOne would take
   * now re-presented under the client's inner secret (see {@link ClientSecrets}); any other
   * request as it came, for oidc-provider to refuse.
   */
  async function underInnerSecret(
    req: IncomingMessage,
    body: Buffer,
    form: URLSearchParams,
    client: PresentedClient,
  ): Promise<{ body: Buffer; headers: IncomingMessage['headers'] } | undefined> {
    const { clientId, method, credential } = client;
    if (method === 'client_secret_basic') {
      const inner = secrets.accept(clientId, credential);
      if (inner === undefined) return undefined;
      const basic = Buffer.from(
        `${encodeURIComponent(clientId)}:${encodeURIComponent(inner)}`,
      ).toString('base64');
      return { body, headers: { ...req.headers, authorization: `Basic ${basic}` } };
    }
    let rewritten: string | undefined;
    if (method === 'client_secret_post') {
      rewritten = secrets.accept(clientId, credential);
      if (rewritten !== undefined) form.set('client_secret', rewritten);
    } else if (method === 'client_secret_jwt') {
      rewritten = await secrets.acceptAssertion(clientId, credential);
      if (rewritten !== undefined) form.set('client_assertion', rewritten);
    }
    if (rewritten === undefined) return undefined;
    const formBody = Buffer.from(form.toString());
    return {
      body: formBody,
      headers: { ...req.headers, 'content-length': String(formBody.length) },
    };
  }

  /**
   * Holds the request for `tokenDelayMs`; false when the emulator closed meanwhile. Uses the
   * global setTimeout, so that tests with fake timers control the delay.
   */
  function delay(): Promise<boolean> {
    const ms = faults.tokenDelayMs;
    if (ms === 0) return Promise.resolve(true);
    if (closing.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        closing.removeEventListener('abort', onClose);
        resolve(true);
      }, ms);
      closing.addEventListener('abort', onClose, { once: true });
    });
  }

  async function clientAuthenticated(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    const isToken = path === paths.token;
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      if (isToken) counter.record(undefined);
      sendJson(res, 400, oauthError('invalid_request', 'failed to parse the request body'), {
        Connection: 'close',
      });
      return;
    }
    const form = formOf(req, body);
    if (isToken) {
      counter.record(form.get('grant_type') ?? undefined);
      // PingOne's rate limiting, at its edge: "Requests that exceed the rate limits will be
      // rejected with the 429 error, REQUEST_LIMITED. When this error occurs, the following header
      // is returned in the response: Retry-After" — PingOne's error body, not an OAuth one.
      // https://developer.pingidentity.com/pingone-api/platform/rate-limiting.html
      const limit = faults.tokenRateLimit;
      if (limit) {
        sendJson(res, 429, apiErrorBody('REQUEST_LIMITED'), {
          'Retry-After': String(limit.retryAfter),
        });
        return;
      }
      if (!(await delay())) return;
      const failStatus = faults.tokenFailStatus;
      if (failStatus !== null) {
        const error = failStatus === 503 ? 'temporarily_unavailable' : 'server_error';
        sendJson(
          res,
          failStatus,
          oauthError(error, 'The service is unavailable (an emulated fault).'),
        );
        return;
      }
    }
    const client = presentedClient(req.headers, form);
    const registered = client && authMethodOf(client.clientId);
    if (client && registered && registered !== client.method) {
      sendJson(
        res,
        401,
        oauthError('invalid_client', 'Request denied: Unsupported authentication method'),
      );
      return;
    }
    const presented = client && (await underInnerSecret(req, body, form, client));
    await callback(
      presented ? replay(req, presented.body, presented.headers) : replay(req, body),
      res,
    );
  }

  return (req, res) => {
    const url = req.url ?? '/';
    if (
      url !== issuerPath &&
      !url.startsWith(`${issuerPath}/`) &&
      !url.startsWith(`${issuerPath}?`)
    ) {
      return false;
    }
    const rest = url.slice(issuerPath.length);
    const path = rest.startsWith('/') ? rest : `/${rest}`;
    Object.assign(req, { originalUrl: url, url: path });
    const pathname = path.split('?')[0] ?? '';
    const handled =
      (pathname === paths.userinfo && userinfo(req, res)) ||
      (req.method === 'POST' && clientAuthPaths.has(pathname)
        ? clientAuthenticated(req, res, pathname)
        : callback(req, res));
    handled.catch((error: Error) => {
      console.error(
        `pingone-emulator: internal error on ${req.method} ${pathname}: ${error.message}`,
      );
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, oauthError('server_error'));
    });
    return true;
  };
}
