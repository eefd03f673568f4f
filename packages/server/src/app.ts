import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { attemptRoutes } from './attempts/routes.js';
import type { Config } from './config.js';
import { connectionRoutes } from './connections/routes.js';
import { SingleFlight } from './connections/single-flight.js';
import type { AppEnv, Services } from './context.js';
import { CredentialCipher } from './crypto/credentials.js';
import { ApiError, failureFields, isRecorded, toApiError } from './errors.js';
import { healthRoute } from './health.js';
import { Journal } from './journal/journal.js';
import { journalRoutes } from './journal/routes.js';
import { linkPageHeaders } from './links/open.js';
import { linkRoutes } from './links/routes.js';
import { createLogger, type Logger } from './logger/logger.js';
import { apiHeaders } from './middleware/api-headers.js';
import { bodyLimit } from './middleware/body-limit.js';
import { clientAddress, type AddressReader } from './middleware/client-address.js';
import { popupHeaders } from './middleware/popup-headers.js';
import { storeRateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { loggedPath, requestLog } from './middleware/request-log.js';
import { ServerMetrics } from './metrics/metrics.js';
import { mountMetrics } from './metrics/route.js';
import { secretKeyAuth } from './middleware/secret-key-auth.js';
import { sessionAuth } from './middleware/session-auth.js';
import { connectFailureTarget } from './oauth/connect.js';
import { oauthRoutes } from './oauth/routes.js';
import { openApiRoute } from './openapi.js';
import { IntegrationRegistry } from './integrations/registry.js';
import { integrationRoutes } from './integrations/routes.js';
import { proxyRoutes } from './proxy/routes.js';
import { sleep, type Sleep } from './proxy/sleep.js';
import { fetchUpstream, undiciUpstream } from './proxy/upstream.js';
import { mountRoutes, type AnyRoute, type SecurityMiddleware } from './routes.js';
import { sessionRoutes } from './session/routes.js';
import { webhookRoutes } from './webhooks/routes.js';
import type { Store } from './store/store.js';
import { dashboardApp } from './dashboard/routes.js';

/** Options of {@link createApp}; every one has a production default. */
export interface AppOptions {
  /** Default: JSON lines on standard output at the configured level. */
  logger?: Logger;
  /** Milliseconds since the epoch for every expiry and rate-limit decision. Default `Date.now`. */
  clock?: () => number;
  /** Replaces `fetch` for calls to PingOne (an egress proxy, instrumentation). */
  fetch?: typeof fetch;
  /**
   * Waits out PingOne's `Retry-After` before the proxy retries (rejecting when the signal
   * aborts); tests pass one that answers at once. Default: `setTimeout`.
   */
  sleep?: Sleep;
  /** Reads the peer address for rate limiting; the Node entry passes the socket's. */
  clientAddress?: AddressReader;
  /**
   * Called after a change that queued a webhook has committed; `serve()` passes its
   * dispatcher's `wake`, so events go out at once rather than at the next poll.
   */
  onWebhookQueued?: () => void;
  /**
   * The metrics `/metrics` shows, when `METRICS_TOKEN` is set: `serve()` passes the ones its
   * webhook dispatcher counts into too. Default: the app's own.
   */
  metrics?: ServerMetrics;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The server as a plain Hono app (DESIGN §4.2): mount it in another Hono app or serve it on
 * any runtime; `serve()` in `./node.js` runs it on Node. The store must be open and migrated.
 */
export function createApp(config: Config, store: Store, options: AppOptions = {}): Hono<AppEnv> {
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? createLogger({ level: config.logLevel, clock });
  const cipher = new CredentialCipher(config.encryptionKeys);
  const integrations = new IntegrationRegistry({
    config,
    store,
    cipher,
    provider: {
      timeoutMs: config.pingoneTimeoutMs,
      clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });
  const metrics = config.metricsToken
    ? (options.metrics ?? new ServerMetrics({ store, clock }))
    : undefined;
  const services: Services = {
    config,
    store,
    logger,
    clock,
    cipher,
    refreshes: new SingleFlight(),
    journal: new Journal({
      logger,
      clock,
      ...(config.webhook ? { webhooks: { wake: options.onWebhookQueued ?? (() => {}) } } : {}),
      ...(metrics ? { observer: metrics.observer } : {}),
    }),
    integrations,
    fetch: options.fetch ?? fetch,
    upstream: options.fetch ? fetchUpstream(options.fetch) : undiciUpstream(),
    sleep: options.sleep ?? sleep,
    metrics,
  };
  const limitKey = clientAddress(config.trustProxy, options.clientAddress ?? (() => undefined));
  const allowedOrigins = new Set(config.allowedOrigins);

  /**
   * Every failure is rendered here, once: by the renderer a route's middleware set (the
   * popup's result page), else as the error's JSON.
   */
  const renderError = (c: Context<AppEnv>, error: ApiError): Response => {
    if (c.var.renderError) return c.var.renderError(error);
    const response = error.getResponse();
    // Through the context, so the headers set before the failure (X-Request-Id) stay.
    return c.newResponse(response.body, response);
  };

  const app = new Hono<AppEnv>();
  app.onError((thrown, c) => {
    const error = toApiError(thrown);
    if (error.status >= 500 && !isRecorded(error)) {
      logger.error('http.error', { path: loggedPath(c.req.path), ...failureFields(error) });
    }
    return renderError(c, error);
  });
  app.notFound((c) => renderError(c, new ApiError('invalid_request', 'No such endpoint.')));

  app.use(requestId());
  app.use(apiHeaders());

  const security: SecurityMiddleware = {
    secretKey: secretKeyAuth(config.secretKeys),
    // Polling may still read how an attempt ended after its session connected.
    sessionToken: sessionAuth(services, { allowConsumed: true }),
  };
  const mount = (routes: readonly AnyRoute[]) =>
    app.route('/', mountRoutes(routes, services, security));

  // Load balancers probe it every few seconds: it goes ahead of the middleware below, none of
  // which it needs, the request log included. A line per probe would be most of what an idle
  // server writes, and the balancer already tells whether its probes arrive; a probe that
  // fails is still logged, as `http.error`.
  mount([healthRoute]);
  app.use(requestLog(logger));
  if (metrics && config.metricsToken) mountMetrics(app, metrics, config.metricsToken);

  // The PingOne API proxy (§5.10), mounted ahead of the 64 KiB body limit below, which it
  // never reaches: it reads bodies itself, up to its own limit.
  mount(proxyRoutes);

  // Browser-facing: the popup's pages, then attempt polling (the only CORS endpoint, §5.8).
  // The popup's headers come ahead of the body limit: they set the popup's error renderer,
  // so a body too large for the popup is a page and not raw JSON; and a connect form refused before it
  // was read still tells the opener, through the attempt id in the form's URL.
  app.use('/oauth/connect', connectFailureTarget(services));
  app.use(
    '/oauth/*',
    popupHeaders(integrations.configured.map(({ provider }) => provider.authOrigin)),
    storeRateLimit(store, {
      name: 'oauth',
      perMinute: config.rateLimits.oauthPerMinute,
      key: limitKey,
      clock,
    }),
  );

  // The hosted connect pages of connect links (§4.9): pages, rate limited like the popup's.
  app.use(
    '/connect/links/*',
    linkPageHeaders(),
    storeRateLimit(store, {
      name: 'links',
      perMinute: config.rateLimits.oauthPerMinute,
      key: limitKey,
      clock,
    }),
  );

  app.use(bodyLimit(MAX_BODY_BYTES));

  mount(oauthRoutes);
  mount(linkRoutes);

  app.use(
    '/connect/attempts/*',
    cors({
      origin: (origin) => (allowedOrigins.has(origin) ? origin : null),
      allowMethods: ['GET'],
      allowHeaders: ['Authorization'],
      maxAge: 600,
    }),
    storeRateLimit(store, {
      name: 'poll',
      perMinute: config.rateLimits.pollPerMinute,
      key: limitKey,
      clock,
    }),
  );
  mount(attemptRoutes);

  // Backend: each route's security runs ahead of its validators.
  mount(sessionRoutes);
  mount(connectionRoutes);
  mount(integrationRoutes);
  mount(journalRoutes);
  mount(webhookRoutes);
  mount([openApiRoute]);

  // The operator's pages (DESIGN §4.11), only when a password is configured; their own
  // headers, sign-in and CSRF checks.
  if (config.dashboardPassword !== null) {
    app.route(
      '/dashboard',
      dashboardApp(services, { password: config.dashboardPassword, limitKey }),
    );
  }

  return app;
}
