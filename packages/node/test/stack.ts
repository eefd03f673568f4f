// The real thing the client talks to in tests: the server app served over HTTP on a loopback
// port, a fresh SQLite file, and a PingOne emulator; connections are made with the real
// authorization-code flow, signing in through the emulator's own pages.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import {
  DEFAULT_USER,
  startEmulator,
  type ApplicationType,
  type Emulator,
  type EmulatorOptions,
  type EmulatorUser,
} from '@pingone-connect/emulator';
import {
  createApp,
  createLogger,
  loadConfig,
  openStore,
  WebhookDispatcher,
  type Store,
} from '@pingone-connect/server';
import { connectFlow, emulatorEnv } from '@pingone-connect/testing';
import { PingOneConnect, type CreateConnectSessionOptions } from '../src/client.js';

export const SECRET_KEY = `sk_test_${randomBytes(24).toString('base64url')}`;
export const HOST_ORIGIN = 'http://127.0.0.1:5173';
export const CLIENT_ID = 'node-client-tests';
export const CLIENT_SECRET = randomBytes(24).toString('base64url');
const key = () => randomBytes(32).toString('base64url');

/** A second PingOne account, so that one end user can hold two connections. */
export const SECOND_USER: EmulatorUser = {
  id: '5b0e7c1d-2a3f-4e6b-8c9d-0f1a2b3c4d5e',
  username: 'grace',
  password: 'grace-password',
  email: 'grace@example.com',
  givenName: 'Grace',
  familyName: 'Hopper',
};

/** Options of {@link startStack}. */
export interface StackOptions {
  /**
   * Serve the server under this path, as a path-routing reverse proxy in front of it would
   * (e.g. `/pingone-connect`); `PUBLIC_URL` and the client's `host` include it.
   */
  basePath?: string;
  /** More server environment variables (DESIGN §4.1), e.g. `WEBHOOK_URL`. */
  env?: Record<string, string>;
  emulator?: Omit<EmulatorOptions, 'clients' | 'users'>;
  /** The PingOne accounts; default the emulator's demo user and {@link SECOND_USER}. */
  users?: EmulatorUser[];
  /**
   * The PingOne application the server signs in as: a Web App (default), whose self-service
   * `p1:` token reads the user's own record, or a Worker app, whose token acts with the user's
   * roles (give it OpenID Connect scopes only, in `env.PINGONE_SCOPES`).
   */
  applicationType?: ApplicationType;
}

/** A running server + emulator, and a client for it. */
export interface Stack {
  /** The client's `host`: the server's public URL. */
  readonly host: string;
  readonly client: PingOneConnect;
  readonly emulator: Emulator;
  readonly store: Store;
  /** Every log line the server wrote. */
  readonly logs: string[];
  /**
   * Runs the connect flow as the element and a browser would: mint a session, post
   * `/oauth/connect`, sign in and consent at the emulator, follow the callback with the
   * browser-binding cookie, then poll the attempt.
   */
  connect(options?: ConnectOptions): Promise<Connected>;
  close(): Promise<void>;
}

/** Options of {@link Stack.connect}. */
export interface ConnectOptions {
  /** Mint the session with these options (default end user `user-1`)… */
  session?: Partial<CreateConnectSessionOptions>;
  /** …or use this already minted session token. */
  token?: string;
  /** Who signs in at the emulator; default the emulator's demo user. */
  username?: string;
}

/** A finished connect flow. */
export interface Connected {
  connectionId: string;
  attemptId: string;
  /** The session token it used (consumed now). */
  token: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Starts the emulator and serves the server app against a fresh SQLite file. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const basePath = options.basePath ?? '';
  const http = createServer();
  const port = await listen(http);
  const host = `http://127.0.0.1:${port}${basePath}`;
  const emulatorClient = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${host}/oauth/callback`],
  };
  const emulator = await startEmulator({
    ...options.emulator,
    users: options.users ?? [DEFAULT_USER, SECOND_USER],
    clients: [
      {
        ...emulatorClient,
        tokenEndpointAuthMethod: 'client_secret_post',
        applicationType: options.applicationType ?? 'WEB_APP',
      },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-node-'));
  const config = loadConfig({
    PUBLIC_URL: host,
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: key(),
    ENCRYPTION_KEYS: key(),
    ALLOWED_ORIGINS: HOST_ORIGIN,
    DATABASE_URL: `sqlite:${join(dir, 'connect.db')}`,
    ...emulatorEnv(emulator, emulatorClient),
    PINGONE_SCOPES: 'openid profile email p1:read:user',
    RATE_LIMIT_OAUTH_PER_MINUTE: '10000',
    RATE_LIMIT_POLL_PER_MINUTE: '10000',
    ...options.env,
  });
  const store = await openStore(config.databaseUrl);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  // As `serve()` does: with WEBHOOK_URL set, the outbox is delivered as soon as events are queued.
  const webhooks = config.webhook
    ? new WebhookDispatcher({ store, endpoint: config.webhook, logger })
    : undefined;
  const app = createApp(config, store, {
    logger,
    ...(webhooks ? { onWebhookQueued: () => webhooks.wake() } : {}),
  });
  webhooks?.start();
  const handle = getRequestListener(app.fetch);
  http.on('request', (request, response) => {
    if (!request.url?.startsWith(`${basePath}/`)) {
      response.writeHead(404).end();
      return;
    }
    request.url = request.url.slice(basePath.length);
    void handle(request, response);
  });
  const client = new PingOneConnect({ secretKey: SECRET_KEY, host });

  async function connect(connectOptions: ConnectOptions = {}): Promise<Connected> {
    const token =
      connectOptions.token ??
      (await client.createConnectSession({ endUser: { id: 'user-1' }, ...connectOptions.session }))
        .token;
    const target = { fetch, baseUrl: host, emulator, secretKey: SECRET_KEY, origin: HOST_ORIGIN };
    const { attemptId, response: finished } = await connectFlow(target, {
      token,
      ...(connectOptions.username ? { username: connectOptions.username } : {}),
    });
    await finished.body?.cancel();
    if (finished.status !== 200) throw new Error(`/oauth/callback answered ${finished.status}`);
    const poll = await fetch(`${host}/connect/attempts/${attemptId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const status = (await poll.json()) as { status: string; connection_id?: string };
    if (status.status !== 'success' || !status.connection_id) {
      throw new Error(`the attempt ended ${JSON.stringify(status)}`);
    }
    return { connectionId: status.connection_id, attemptId, token };
  }

  return {
    host,
    client,
    emulator,
    store,
    logs,
    connect,
    async close() {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await webhooks?.stop();
      await store.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
