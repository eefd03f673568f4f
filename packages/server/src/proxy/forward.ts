import { PROXY_API_BASE_HEADER } from '@pingone-connect/protocol';
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { Integration } from '../config.js';
import type { FreshCredentials } from '../connections/credentials.js';
import { freshCredentials } from '../connections/refresh.js';
import type { AppEnv, Services } from '../context.js';
import type { ConnectionRecord } from '../store/connections.js';
import { ApiError, invalidRequest, toApiError } from '../errors.js';
import { redact } from '../logger/logger.js';
import { proxyHeaders } from '../schemas.js';
import { describeIssues } from '../validation.js';
import { callerResponseHeaders, upstreamRequestHeaders } from './headers.js';
import { rateLimitDecision } from './rate-limit-retry.js';
import { readLimitedBody } from './request-body.js';
import { discard, type UpstreamAnswer } from './upstream.js';
import { proxyTarget, upstreamUrl } from './upstream-url.js';

/** The methods `/proxy/*` forwards (HEAD too: Hono routes it to the GET handler). */
export const PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const MAX_LOGGED_PATH = 256;

/**
 * The request target as the client sent it. On Node, `@hono/node-server` hands the socket's
 * request over as `c.env.incoming`, whose `url` is still raw; the URL the app sees has had its
 * `..` and `%2e%2e` segments resolved already, which would hide a traversal from the checks.
 * Other runtimes only give the parsed URL; the checks then see what is left of it.
 */
function rawRequestTarget(c: Context): string {
  const incoming = (c.env as { incoming?: { url?: unknown } } | undefined)?.incoming;
  if (typeof incoming?.url === 'string') return incoming.url;
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/**
 * The integration a call goes to: the one `Provider-Config-Key` names, which may be left out
 * when the server has only one.
 */
async function integrationFor(services: Services, key: string | undefined): Promise<Integration> {
  if (key === undefined) {
    const only = await services.integrations.only();
    if (!only) {
      throw invalidRequest(
        'Provider-Config-Key is required: this server has several integrations.',
      );
    }
    return only.integration;
  }
  const named = await services.integrations.find(key);
  if (!named) throw invalidRequest('Provider-Config-Key names no integration of this server.');
  return named.integration;
}

/** What one call to PingOne needs besides the token. */
interface UpstreamCall {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | undefined;
  readonly timeoutMs: number;
  /** Aborts when the caller goes away. */
  readonly signal: AbortSignal;
}

/**
 * Calls PingOne with `accessToken`, within one timer for the deadline: it ends the call, the
 * answer's body included, as does the caller leaving. Redirects are returned, not followed.
 *
 * @throws ApiError `provider_unavailable` when PingOne did not answer in time or could not be
 *   reached (the message says which); `invalid_request` when the caller closed the request meanwhile (the
 *   call to PingOne is aborted with it).
 */
async function callUpstream(
  services: Services,
  call: UpstreamCall,
  accessToken: string,
): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  let late = false;
  const deadline = setTimeout(() => {
    late = true;
    controller.abort(new DOMException('PingOne did not answer in time.', 'TimeoutError'));
  }, call.timeoutMs);
  // It ends a call still streaming its answer, and keeps no process alive.
  deadline.unref?.();
  const callerLeft = () => controller.abort(call.signal.reason);
  if (call.signal.aborted) callerLeft();
  else call.signal.addEventListener('abort', callerLeft, { once: true });
  try {
    return await services.upstream({
      url: call.url,
      method: call.method,
      headers: upstreamRequestHeaders(call.headers, accessToken),
      body: call.body,
      signal: controller.signal,
    });
  } catch (cause) {
    clearTimeout(deadline);
    // The caller went away: nobody will read the answer, and PingOne is not to blame.
    if (call.signal.aborted) {
      throw new ApiError('invalid_request', 'The caller closed the request.', { cause });
    }
    throw new ApiError(
      'provider_unavailable',
      late
        ? 'PingOne did not answer in time. Try again.'
        : 'PingOne could not be reached. Try again.',
      { cause },
    );
  }
}

/**
 * Credentials to retry with after PingOne answered 401: the ones another request has stored
 * meanwhile, else a forced refresh. Calls that failed on the same token thus rotate the
 * refresh token once between them, not once each.
 */
async function renewedCredentials(
  services: Services,
  connectionId: string,
  rejectedToken: string,
): Promise<FreshCredentials> {
  const current = await freshCredentials(services, connectionId);
  if (current.credentials.access_token !== rejectedToken) return current;
  return freshCredentials(services, connectionId, { force: true });
}

/**
 * How a forwarded call ended: PingOne's last answer or the failure, whether it took the retry
 * after a 401, and how many times it waited out a 429.
 */
type Outcome = { readonly retried: boolean; readonly rateLimitRetries: number } & (
  { readonly response: UpstreamAnswer } | { readonly failure: ApiError }
);

/** Who a forwarded call is for, and how it appears in the operations log. */
interface CallSubject {
  readonly connection: ConnectionRecord;
  /** The path after `/proxy/`, without the query string. */
  readonly path: string;
}

/** The path of a call as the operations log may show it: redacted and bounded. */
function loggedPath(path: string): string {
  return String(redact(`/${path}`)).slice(0, MAX_LOGGED_PATH);
}

/**
 * Records the `proxy.retry` entry of a 429 about to be waited out, in the store's next batch
 * of log rows, as for `proxy.request`.
 */
function recordRetry(
  services: Services,
  subject: CallSubject,
  method: string,
  retry: { readonly attempt: number; readonly waitMs: number },
): void {
  const path = loggedPath(subject.path);
  const { retries } = services.config.proxyRetry;
  services.journal.recordAlone(services.store, {
    event: 'proxy.retry',
    level: 'warn',
    subject: { connection: subject.connection },
    message: `${method} ${path} answered 429: retry ${retry.attempt} of ${retries} in ${retry.waitMs} ms.`,
    data: { method, path, status: 429, attempt: retry.attempt, wait_ms: retry.waitMs },
  });
}

/**
 * Waits before a retry.
 *
 * @throws ApiError `invalid_request` when the caller closed the request meanwhile: the wait
 *   ends at once and no further call goes to PingOne.
 */
async function waitBeforeRetry(services: Services, ms: number, signal: AbortSignal) {
  try {
    await services.sleep(ms, signal);
  } catch (cause) {
    throw new ApiError('invalid_request', 'The caller closed the request.', { cause });
  }
}

/**
 * Calls PingOne; on a 401, once more with renewed credentials; on a 429 of an idempotent
 * method, again after `Retry-After`, up to `PROXY_RETRIES` times (see `rateLimitDecision` for
 * when a 429 passes through instead). The request body was buffered, so each call sends it
 * whole. Never throws.
 */
async function forward(
  services: Services,
  call: UpstreamCall,
  subject: CallSubject,
  accessToken: string,
): Promise<Outcome> {
  let retried = false;
  let rateLimitRetries = 0;
  let token = accessToken;
  try {
    for (;;) {
      const response = await callUpstream(services, call, token);
      if (response.status === 401 && !retried) {
        await discard(response);
        retried = true;
        const renewed = await renewedCredentials(services, subject.connection.id, token);
        token = renewed.credentials.access_token;
        continue;
      }
      if (response.status === 429) {
        const decision = rateLimitDecision({
          method: call.method,
          retryAfter: response.headers.get('retry-after'),
          retriesDone: rateLimitRetries,
          policy: services.config.proxyRetry,
          now: services.clock(),
        });
        if (decision.retry) {
          await discard(response);
          rateLimitRetries += 1;
          recordRetry(services, subject, call.method, {
            attempt: rateLimitRetries,
            waitMs: decision.waitMs,
          });
          await waitBeforeRetry(services, decision.waitMs, call.signal);
          continue;
        }
      }
      return { retried, rateLimitRetries, response };
    }
  } catch (error) {
    return { retried, rateLimitRetries, failure: toApiError(error) };
  }
}

/** What the operations log keeps of one proxied call. */
interface CallRecord extends CallSubject {
  readonly method: string;
  readonly outcome: Outcome;
  readonly durationMs: number;
}

/**
 * Records the `proxy.request` entry of a call: method, path, status, duration, whether it was
 * retried after a 401 and how often after a 429; never the query string, a header or a body.
 * The row changes no state, so it goes in the store's next batch of log rows rather than
 * costing the call a commit of its own (DESIGN §8), and the answer does not wait for it; a
 * failed batch is reported by the journal: the call happened either way.
 */
function recordCall(services: Services, call: CallRecord): void {
  const { connection, method, outcome } = call;
  const status = 'response' in outcome ? outcome.response.status : outcome.failure.status;
  services.metrics?.proxyCall(
    connection.integrationId,
    'response' in outcome ? status : 'error',
    call.durationMs,
  );
  const path = loggedPath(call.path);
  services.journal.recordAlone(services.store, {
    event: 'proxy.request',
    level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
    subject: { connection },
    message: `${method} ${path} answered ${status}.`,
    data: {
      method,
      path,
      status,
      duration_ms: Math.round(call.durationMs),
      retried: outcome.retried,
      rate_limit_retries: outcome.rateLimitRetries,
      ...('failure' in outcome ? { error_code: outcome.failure.code } : {}),
    },
  });
}

/**
 * `ANY /proxy/*` (DESIGN §4.2, §5.10, §5.14): forwards a call to the integration's PingOne API
 * with the connection's access token, refreshed first when it is about to expire. Every
 * refusal (headers, path, body size, a connection of another integration) comes before any
 * token is read, refreshed or sent. The path is checked on the raw request target and appended
 * to the integration's fixed API base; the caller's `Authorization`, cookies and hop-by-hop
 * headers stay here, PingOne's `set-cookie` and CORS headers do too. After a 401 from
 * PingOne the call is retried once, with the token another request stored meanwhile or else
 * after a forced refresh. After a 429, GET, HEAD, PUT and DELETE are retried after PingOne's
 * `Retry-After` (DESIGN §4.10), each retry logged as `proxy.retry`. PingOne's answers, errors
 * and the last 429 with its `Retry-After` included, pass through untouched with their status
 * and body (streamed), plus `PingOne-Connect-Api-Base` naming the API base that answered; the
 * server's own refusals are its error JSON. Each forwarded call leaves one `proxy.request` entry in the operations log.
 */
export function proxyHandler(services: Services): (c: Context<AppEnv>) => Promise<Response> {
  const { config } = services;

  return async (c) => {
    const headers = proxyHeaders.safeParse({
      'connection-id': c.req.header('connection-id'),
      'provider-config-key': c.req.header('provider-config-key'),
    });
    if (!headers.success) throw invalidRequest(describeIssues(headers.error));
    const connectionId = headers.data['connection-id'];
    const integration = await integrationFor(services, headers.data['provider-config-key']);
    // The route's own path, e.g. `/proxy/*` or `/mounted/proxy/*`, minus the wildcard.
    const target = proxyTarget(rawRequestTarget(c), routePath(c).slice(0, -1));
    const method = c.req.method;
    const call: UpstreamCall = {
      url: upstreamUrl(integration.apiBaseUrl, target),
      method,
      headers: c.req.raw.headers,
      // Read before any token is touched, so an oversized body costs PingOne nothing.
      body: method === 'GET' || method === 'HEAD' ? undefined : await readLimitedBody(c.req.raw),
      timeoutMs: config.pingoneTimeoutMs,
      signal: c.req.raw.signal,
    };

    // A connection of another integration is not found under this one (§5.14), and is refused
    // before its tokens are read: a refresh would rotate them for a call that never happens.
    const fresh = await freshCredentials(services, connectionId, { integrationId: integration.id });
    const { connection } = fresh;

    const started = performance.now();
    const subject: CallSubject = { connection, path: target.path };
    const outcome = await forward(services, call, subject, fresh.credentials.access_token);
    recordCall(services, {
      ...subject,
      method,
      outcome,
      durationMs: performance.now() - started,
    });

    if ('failure' in outcome) throw outcome.failure;
    const { response } = outcome;
    const answerHeaders = callerResponseHeaders(response.headers);
    answerHeaders.set(PROXY_API_BASE_HEADER, integration.apiBaseUrl);
    // 204 and 304 come without a body; any other status may carry one.
    if (!response.body)
      return c.body(null, { status: response.status as StatusCode, headers: answerHeaders });
    const init = { status: response.status as ContentfulStatusCode, headers: answerHeaders };
    // Hono types a whole body and a stream as two overloads.
    return response.body instanceof Uint8Array
      ? c.body(response.body, init)
      : c.body(response.body, init);
  };
}
