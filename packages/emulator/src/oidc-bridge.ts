import { IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { oauthError } from './correlation-id.js';
import type { Provider } from './quiet-oidc-provider.js';
import type { TokenCounter } from './token-counter.js';
import type { EmulatorFaults } from './types.js';

/** oidc-provider's own limit for a request body. */
const BODY_LIMIT = 56 * 1024;

export interface OidcBridgeInput {
  provider: Provider;
  /** The issuer's path, `/{environmentId}/as`. */
  issuerPath: string;
  tokenPath: string;
  faults: EmulatorFaults;
  counter: TokenCounter;
  /** Aborted when the emulator closes: ends delayed responses. */
  closing: AbortSignal;
}

/** Answers `status` with a JSON body and closes the connection (its request may be unread). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(json);
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
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    originalUrl: (req as { originalUrl?: string }).originalUrl,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
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

function grantTypeOf(req: IncomingMessage, body: Buffer): string | undefined {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(body.toString('utf8')).get('grant_type') ?? undefined;
}

/**
 * Serves oidc-provider under the issuer's path. It strips the prefix and keeps the full URL in
 * `req.originalUrl`, from which oidc-provider derives its mount path (without it, interaction
 * redirects would lose the prefix). Token requests are read here first: to count them by grant
 * type and to apply the token-endpoint fault switches before oidc-provider sees them.
 *
 * @returns a request listener that answers `false` when a request is not under the issuer
 */
export function createOidcBridge(
  input: OidcBridgeInput,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { provider, issuerPath, tokenPath, faults, counter, closing } = input;
  const callback = provider.callback();

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      counter.record(undefined);
      sendJson(res, 400, oauthError('invalid_request', 'failed to parse the request body'), {
        Connection: 'close',
      });
      return;
    }
    counter.record(grantTypeOf(req, body));
    if (faults.tokenDelayMs > 0) {
      try {
        await sleep(faults.tokenDelayMs, undefined, { signal: closing });
      } catch {
        return; // closing: the connection is being dropped anyway
      }
    }
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
    await callback(replay(req, body), res);
  }

  return (req, res) => {
    const url = req.url ?? '/';
    if (
      url !== issuerPath &&
      !url.startsWith(`${issuerPath}/`) &&
      !url.startsWith(`${issuerPath}?`)
    )
      return false;
    const path = url.slice(issuerPath.length);
    Object.assign(req, { originalUrl: url, url: path.startsWith('/') ? path : `/${path}` });
    const isToken = req.method === 'POST' && req.url?.split('?')[0] === tokenPath;
    (isToken ? token(req, res) : callback(req, res)).catch((error: Error) => {
      console.error(`pingone-emulator: internal error on ${req.method} ${path}: ${error.message}`);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, oauthError('server_error'));
    });
    return true;
  };
}
