import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { createAdaptorServer } from '@hono/node-server';
import { startEmulator, type Emulator } from '@pingone-connect/emulator';
import { PingOneConnect } from '@pingone-connect/node';
// The workspace's private harness, for `freePort` only (ports 0 of the demo's own tests). It
// imports no test runner (scripts/check-test-imports.mjs), and the demo, like it, is never
// published: one loopback-port helper rather than a second copy of it here.
import { freePort } from '@pingone-connect/testing';
import { createLogger, loadConfig, type LogSink } from '@pingone-connect/server';
import { serve, type RunningServer } from '@pingone-connect/server/node';
import { Hono } from 'hono';
import { build } from 'vite';
import type { CustomerId } from './customers.js';
import { emulatedTenantSetups, emulatorEnvironments } from './emulated-tenants.js';
import { generateKeys, type DemoKeys } from './keys.js';
import { createSampleBackend } from './sample-backend.js';
import type { TenantSetup } from './tenant-pingone.js';

export interface DemoOptions {
  /** Ports on 127.0.0.1; 0 picks a free one. Defaults 5173 (app), 3000 (server), 8787 (emulator). */
  ports?: { app?: number; server?: number; emulator?: number };
  /**
   * Where real PingOne settings come from. With `PINGONE_ENVIRONMENT_ID`, `PINGONE_CLIENT_ID`
   * and `PINGONE_CLIENT_SECRET` set (and optionally `PINGONE_REGION`), the demo uses PingOne
   * instead of the emulator: that application is Acme's, configured by the operator, and
   * Globex's can be set up from the settings panel.
   */
  env?: NodeJS.ProcessEnv;
  /** Receives every log line of the server (JSON) and of the sample app. Default: dropped. */
  log?: LogSink;
  /** Extra emulator options, for tests (fault switches). */
  emulator?: Parameters<typeof startEmulator>[0];
  /** The server's clock (epoch ms), for tests that move time. Default `Date.now`. */
  clock?: () => number;
  /** Replaces the server's `fetch` for calls to PingOne, for tests that must stay offline. */
  fetch?: typeof fetch;
  /** Where the server sends webhooks, for tests with a receiver of their own. Default: the sample app's. */
  webhookUrl?: string;
}

export interface Demo {
  /** The sample customer app: open this. */
  appUrl: string;
  serverUrl: string;
  /** The server's operator dashboard; sign in as `admin` with `keys.dashboardPassword`. */
  dashboardUrl: string;
  mode: 'emulator' | 'pingone';
  /** The running emulator, in emulator mode: one environment per customer. */
  emulator: Emulator | null;
  /** How the sample backend reaches each customer's PingOne. */
  tenants: Readonly<Record<CustomerId, TenantSetup>>;
  /** The sample app's backend client of the server (its secret key), for tests. */
  client: PingOneConnect;
  /** The keys made for this run, for tests that check none of them leaks. */
  keys: DemoKeys;
  /** Stops everything and deletes the run's database. */
  close(): Promise<void>;
}

const APP_ROOT = fileURLToPath(new URL('../app/', import.meta.url));

/** Real PingOne settings, when all the required ones are present. */
function pingoneSettings(env: NodeJS.ProcessEnv) {
  const { PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_REGION } = env;
  if (!PINGONE_ENVIRONMENT_ID || !PINGONE_CLIENT_ID || !PINGONE_CLIENT_SECRET) return null;
  return { PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_REGION };
}

const port = (wanted: number | undefined, fallback: number) =>
  wanted === 0 ? freePort() : Promise.resolve(wanted ?? fallback);

/**
 * Starts the whole demo on loopback: the PingOne emulator (or real PingOne), the
 * pingone-connect server with keys made for this run, and the sample customer app (its page
 * built with Vite, its backend using the Node client).
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const [appPort, serverPort, emulatorPort] = await Promise.all([
    port(options.ports?.app, 5173),
    port(options.ports?.server, 3000),
    port(options.ports?.emulator, 8787),
  ]);
  const appUrl = `http://127.0.0.1:${appPort}`;
  const serverUrl = `http://127.0.0.1:${serverPort}`;
  const keys = generateKeys();
  const pingone = pingoneSettings(env);
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  try {
    // Tenants are onboarded at run time: in emulator mode the server starts with no
    // integration at all, and each customer's admin sets up its PingOne from the page.
    let tenants: Record<CustomerId, TenantSetup>;
    let emulator: Emulator | null = null;
    if (pingone) {
      // The operator's application (PINGONE_*) is Acme's; Globex's is set up at run time.
      tenants = { acme: { integrationId: 'pingone' }, globex: { integrationId: 'globex' } };
    } else {
      emulator = await startEmulator({
        ...options.emulator,
        port: emulatorPort,
        environments: emulatorEnvironments(
          `${serverUrl}/oauth/callback`,
          keys.emulatorClientSecrets,
        ),
      });
      cleanups.push(() => emulator!.close());
      tenants = emulatedTenantSetups(emulator, keys.emulatorClientSecrets);
    }

    const dataDir = await mkdtemp(join(tmpdir(), 'pingone-connect-demo-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const config = loadConfig({
      ...pingone,
      PUBLIC_URL: serverUrl,
      HOST: '127.0.0.1',
      PORT: String(serverPort),
      SECRET_KEYS: keys.secretKey,
      SESSION_SIGNING_KEY: keys.sessionSigningKey,
      ENCRYPTION_KEYS: keys.encryptionKey,
      ALLOWED_ORIGINS: appUrl,
      DATABASE_URL: `sqlite:${join(dataDir, 'demo.db')}`,
      // The emulator is on 127.0.0.1: only then may an integration name a loopback issuer.
      ...(pingone ? {} : { ALLOW_LOOPBACK_PINGONE: 'true' }),
      WEBHOOK_URL: options.webhookUrl ?? `${appUrl}/webhooks`,
      WEBHOOK_SECRET: keys.webhookSecret,
      DASHBOARD_PASSWORD: keys.dashboardPassword,
    });
    const server: RunningServer = await serve(config, {
      signals: [],
      shutdownGraceMs: 2_000,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      logger: createLogger({ sink: log }),
    });
    cleanups.push(() => server.close());

    const pageDir = join(dataDir, 'app');
    await build({
      root: APP_ROOT,
      logLevel: 'warn',
      build: { outDir: pageDir, emptyOutDir: true },
    });

    const client = new PingOneConnect({
      secretKey: keys.secretKey,
      host: serverUrl,
      webhookSecret: keys.webhookSecret,
    });
    const app = new Hono()
      .route(
        '/',
        createSampleBackend({
          client,
          tenants,
          page: { serverUrl, mode: pingone ? 'pingone' : 'emulator' },
        }),
      )
      .use('*', serveStatic({ root: pageDir }));
    const appServer = createAdaptorServer({ fetch: app.fetch }) as Server;
    await new Promise<void>((resolve, reject) => {
      appServer.once('error', reject);
      appServer.listen(appPort, '127.0.0.1', resolve);
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          appServer.close(() => resolve());
          appServer.closeAllConnections();
        }),
    );

    return {
      appUrl,
      serverUrl,
      dashboardUrl: `${serverUrl}/dashboard`,
      mode: pingone ? 'pingone' : 'emulator',
      emulator,
      tenants,
      client,
      keys,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
