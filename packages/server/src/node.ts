import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Hono } from 'hono';
import { createApp, type AppOptions } from './app.js';
import type { Config } from './config.js';
import { ExpiringNotices } from './connections/expiring.js';
import { Journal } from './journal/journal.js';
import type { AppEnv } from './context.js';
import { createLogger, type Logger } from './logger/logger.js';
import { ServerMetrics } from './metrics/metrics.js';
import { unreadableRequest } from './node-request-error.js';
import { RetentionSweep } from './retention/retention-sweep.js';
import { openStore, type StoreOptions } from './store/open.js';
import type { Store } from './store/store.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

/** Options of {@link serve}. */
export interface ServeOptions extends Omit<AppOptions, 'clientAddress' | 'logger'> {
  logger?: Logger;
  /** Signals that start a graceful shutdown. Default `SIGTERM` and `SIGINT`; `[]` for none. */
  signals?: readonly NodeJS.Signals[];
  /** How long in-flight requests may take to finish after a shutdown starts. Default 30 s. */
  shutdownGraceMs?: number;
  /** How the store is opened, e.g. when its batches of log rows commit. */
  store?: StoreOptions;
}

/** A running server. */
export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly port: number;
  readonly app: Hono<AppEnv>;
  readonly store: Store;
  /** Delivers the webhook outbox; absent when no `WEBHOOK_URL` is configured. */
  readonly webhooks: WebhookDispatcher | undefined;
  /**
   * Graceful shutdown: stop accepting connections, let in-flight requests finish (up to the
   * grace period), then close the store. Idempotent.
   */
  close(): Promise<void>;
  /** Settles when the server has shut down. */
  readonly closed: Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
// Expired sessions stay a while so that a late poll still gets a clear `session_expired`.
const SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Makes `server.close()` finish promptly: in-flight responses are told `Connection: close`
 * and their sockets end once they are sent, so keep-alive clients do not hold the server
 * open; idle sockets close at once. Returns the function that starts the shutdown.
 */
function drainable(server: Server, graceMs: number): () => Promise<void> {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    if (draining) response.setHeader('Connection', 'close');
    response.on('close', () => inFlight.delete(response));
    response.on('finish', () => {
      inFlight.delete(response);
      if (draining) request.socket.end();
    });
  });
  return () =>
    new Promise<void>((resolve) => {
      draining = true;
      for (const response of inFlight) {
        if (!response.headersSent) response.setHeader('Connection', 'close');
      }
      // Stop accepting; the callback runs once the last connection has gone.
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), graceMs).unref();
    });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Opens the store (running migrations), serves the app on Node at `config.host:port` and,
 * when `WEBHOOK_URL` is set, delivers the webhook outbox (events left from before a restart
 * included), until {@link RunningServer.close} or one of the signals.
 */
export async function serve(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  const {
    signals = ['SIGTERM', 'SIGINT'],
    shutdownGraceMs = 30_000,
    store: storeOptions,
    ...appOptions
  } = options;
  const clock = appOptions.clock ?? Date.now;
  const logger = options.logger ?? createLogger({ level: config.logLevel, clock });
  const store = await openStore(config.databaseUrl, storeOptions);
  // One set of metrics for the app and the dispatcher, whose journals both report to it.
  const metrics = config.metricsToken
    ? (appOptions.metrics ?? new ServerMetrics({ store, clock }))
    : undefined;
  const webhooks = config.webhook
    ? new WebhookDispatcher({
        store,
        endpoint: config.webhook,
        logger,
        clock,
        ...(metrics ? { observer: metrics.observer } : {}),
      })
    : undefined;
  const app = createApp(config, store, {
    ...appOptions,
    ...(metrics ? { metrics } : {}),
    logger,
    clientAddress: (c) => getConnInfo(c).remote.address,
    ...(webhooks ? { onWebhookQueued: () => webhooks.wake() } : {}),
  });
  // The adapter's listener rather than createAdaptorServer(), which cannot take an errorHandler.
  const server = createServer(getRequestListener(app.fetch, { errorHandler: unreadableRequest }));
  const drain = drainable(server, shutdownGraceMs);
  let port: number;
  try {
    port = await listen(server, config.host, config.port);
  } catch (error) {
    await store.close();
    throw error;
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  const sweep = setInterval(() => {
    store.sessions.purgeExpired(clock() - SESSION_RETENTION_MS).catch((error: unknown) => {
      logger.warn('store.purge_failed', { error });
    });
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  webhooks?.start();
  const expiring = new ExpiringNotices({
    store,
    journal: new Journal({
      logger,
      clock,
      ...(webhooks ? { webhooks: { wake: () => webhooks.wake() } } : {}),
      ...(metrics ? { observer: metrics.observer } : {}),
    }),
    logger,
    noticeDays: config.expiringNoticeDays,
    clock,
  });
  expiring.start();
  const retention = new RetentionSweep({
    store,
    logger,
    retentionDays: config.logRetentionDays,
    clock,
  });
  retention.start();

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info('server.signal', { signal });
    void close();
  };
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweep);
      for (const signal of signals) process.off(signal, onSignal);
      // Logged once the listener is closed, so the line means "no new connections".
      const drained = drain();
      logger.info('server.stopping', { url });
      try {
        await drained;
        await expiring.stop();
        await retention.stop();
        // Events still queued stay in the outbox and go out after the next start.
        await webhooks?.stop();
        // Commits the log rows still queued (the drained requests' proxy.request among them)
        // before the database closes: a clean shutdown loses none.
        await store.close();
        logger.info('server.stopped', { url });
      } finally {
        resolveClosed();
      }
    })());
  for (const signal of signals) process.on(signal, onSignal);

  logger.info('server.listening', { url, public_url: config.publicUrl, store: store.dialect });
  return { url, port, app, store, webhooks, close, closed };
}
