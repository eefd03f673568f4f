import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { readAttemptStatus } from './attempts/status.js';
import type { Config } from './config.js';
import { deleteConnection } from './connections/delete.js';
import { listConnections } from './connections/list.js';
import { readConnection } from './connections/read.js';
import { SingleFlight } from './connections/single-flight.js';
import type { AppEnv, Services } from './context.js';
import { CredentialCipher } from './crypto/credentials.js';
import { ApiError, failureFields, toApiError } from './errors.js';
import { Journal } from './journal/journal.js';
import { listLogs } from './journal/list.js';
import { createLogger, type Logger } from './logger/logger.js';
import { apiHeaders } from './middleware/api-headers.js';
import { bearerToken } from './middleware/bearer.js';
import { clientAddress, type AddressReader } from './middleware/client-address.js';
import { popupHeaders } from './middleware/popup-headers.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestLog } from './middleware/request-log.js';
import { secretKeyAuth } from './middleware/secret-key-auth.js';
import { BindingCookie } from './oauth/binding-cookie.js';
import { callbackHandler } from './oauth/callback.js';
import { connectHandler, failureTarget } from './oauth/connect.js';
import { ProviderClient } from './pingone/provider-client.js';
import { renderFailure } from './oauth/result-page.js';
import { openApiDocument } from './openapi.js';
import { PROXY_METHODS, proxyHandler } from './proxy/forward.js';
import {
  attemptParams,
  connectionParams,
  createSessionBody,
  listConnectionsQuery,
  listLogsQuery,
  readConnectionQuery,
  sessionParams,
} from './schemas.js';
import { mintSession } from './session/mint.js';
import { revokeSession } from './session/revoke.js';
import type { Store } from './store/store.js';
import { validate } from './validation.js';

/** Options of {@link createApp}; every one has a production default. */
export interface AppOptions {
  /** Default: JSON lines on standard output at the configured level. */
  logger?: Logger;
  /** Milliseconds since the epoch for every expiry and rate-limit decision. Default `Date.now`. */
  clock?: () => number;
  /** Replaces `fetch` for calls to PingOne (an egress proxy, instrumentation). */
  fetch?: typeof fetch;
  /** Reads the peer address for rate limiting; the Node entry passes the socket's. */
  clientAddress?: AddressReader;
  /**
   * Called after a change that queued a webhook has committed; `serve()` passes its
   * dispatcher's `wake`, so events go out at once rather than at the next poll.
   */
  onWebhookQueued?: () => void;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The server as a plain Hono app (DESIGN §4.2): mount it in another Hono app or serve it on
 * any runtime; `serve()` in `./node.js` runs it on Node. The store must be open and migrated.
 */
export function createApp(config: Config, store: Store, options: AppOptions = {}): Hono<AppEnv> {
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? createLogger({ level: config.logLevel, clock });
  const providers = new Map(
    config.integrations.map((integration) => [
      integration.id,
      new ProviderClient(integration, config.redirectUri, {
        timeoutMs: config.pingoneTimeoutMs,
        clock,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ]),
  );
  const services: Services = {
    config,
    store,
    logger,
    clock,
    cipher: new CredentialCipher(config.encryptionKeys),
    refreshes: new SingleFlight(),
    journal: new Journal({
      logger,
      clock,
      ...(config.webhook ? { webhooks: { wake: options.onWebhookQueued ?? (() => {}) } } : {}),
    }),
    providers,
    fetch: options.fetch ?? fetch,
  };
  const binding = new BindingCookie(config.publicUrl);
  const secretKey = secretKeyAuth(config.secretKeys);
  const limitKey = clientAddress(config.trustProxy, options.clientAddress ?? (() => undefined));
  const allowedOrigins = new Set(config.allowedOrigins);

  /**
   * Errors as JSON for the API, and as the result page inside the popup: the popup's routes
   * are the ones that got a CSP nonce. A connect form refused before it was read (too large)
   * still tells the opener, through the attempt id in the form's URL.
   */
  const renderError = (c: Context<AppEnv>, error: ApiError) => {
    const nonce = c.get('cspNonce') as string | undefined;
    if (nonce !== undefined) {
      const target = c.req.path.endsWith('/oauth/connect') ? failureTarget(services, c) : null;
      return c.html(
        renderFailure(nonce, target, error.toResultError()),
        error.status,
        error.headers,
      );
    }
    return c.json({ error: error.toResultError() }, error.status, error.headers);
  };

  const app = new Hono<AppEnv>();
  app.onError((thrown, c) => {
    const error = toApiError(thrown);
    if (error.status >= 500)
      logger.error('http.error', { path: c.req.path, ...failureFields(error) });
    return renderError(c, error);
  });
  app.notFound((c) =>
    renderError(c, new ApiError('invalid_request', 'No such endpoint.', { status: 404 })),
  );

  app.use(requestId());
  app.use(requestLog(logger));
  app.use(apiHeaders());

  // The PingOne API proxy (§5.10), registered ahead of the 64 KiB body limit below, which it
  // never reaches: it reads bodies itself, up to its own limit.
  app.on([...PROXY_METHODS], '/proxy/*', secretKey, proxyHandler(services));

  // Browser-facing: the popup's pages, then attempt polling (the only CORS endpoint, §5.8).
  // The popup's headers come ahead of the body limit: its nonce is what makes `renderError`
  // answer with the result page, so a 413 in the popup is a page and not raw JSON.
  app.use(
    '/oauth/*',
    popupHeaders([...providers.values()].map((provider) => provider.authOrigin)),
    rateLimit({ perMinute: config.rateLimits.oauthPerMinute, key: limitKey, clock }),
  );

  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError('invalid_request', 'The request body is too large.', { status: 413 });
      },
    }),
  );

  app.post('/oauth/connect', connectHandler(services, binding));
  app.get('/oauth/callback', callbackHandler(services, binding));

  app.use(
    '/connect/attempts/*',
    cors({
      origin: (origin) => (allowedOrigins.has(origin) ? origin : null),
      allowMethods: ['GET'],
      allowHeaders: ['Authorization'],
      maxAge: 600,
    }),
    rateLimit({ perMinute: config.rateLimits.pollPerMinute, key: limitKey, clock }),
  );
  app.get('/connect/attempts/:attempt_id', validate('param', attemptParams), async (c) => {
    const token = bearerToken(c.req.header('authorization'));
    const { attempt_id } = c.req.valid('param');
    return c.json(await readAttemptStatus(services, token, attempt_id, c.req.header('origin')));
  });

  // Backend: secret key first, so an unauthenticated caller learns nothing from validation.
  app.post('/connect/sessions', secretKey, validate('json', createSessionBody), async (c) => {
    const session = await mintSession(services, c.req.valid('json'));
    const expiresAt = new Date(session.expiresAt).toISOString();
    return c.json({ token: session.token, expires_at: expiresAt, jti: session.jti }, 201);
  });
  app.delete('/connect/sessions/:jti', secretKey, validate('param', sessionParams), async (c) => {
    await revokeSession(services, c.req.valid('param').jti);
    return c.body(null, 204);
  });
  app.get('/connections', secretKey, validate('query', listConnectionsQuery), async (c) =>
    c.json(await listConnections(services, c.req.valid('query'))),
  );
  app.get(
    '/connections/:id',
    secretKey,
    validate('param', connectionParams),
    validate('query', readConnectionQuery),
    async (c) => {
      const force = c.req.valid('query').refresh === 'force';
      return c.json(await readConnection(services, c.req.valid('param').id, force));
    },
  );
  app.delete('/connections/:id', secretKey, validate('param', connectionParams), async (c) => {
    await deleteConnection(services, c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.get('/logs', secretKey, validate('query', listLogsQuery), async (c) =>
    c.json(await listLogs(services, c.req.valid('query'))),
  );

  app.get('/healthz', async (c) => {
    try {
      await store.ping();
    } catch (cause) {
      throw new ApiError('internal_error', 'The store does not answer.', { status: 503, cause });
    }
    return c.json({ status: 'ok' as const });
  });
  const document = openApiDocument(config.publicUrl);
  app.get('/openapi.json', (c) => c.json(document));

  return app;
}
