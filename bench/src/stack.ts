import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions } from '@pingone-connect/emulator';
import { PingOneConnect } from '@pingone-connect/node';
import { connectFlow, emulatorEnv, freePort, signIn } from '@pingone-connect/testing';
import { forkRpc, startService, type Rpc, type Service } from './child.js';

/** The origin the connect flow claims to come from (no page is served there). */
export const HOST_ORIGIN = 'http://127.0.0.1:5173';
const CLIENT_ID = 'pingone-connect-bench';

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The server's own bin, next to the package entry point. */
const SERVER_CLI = fileURLToPath(new URL('cli.js', import.meta.resolve('@pingone-connect/server')));

/** The emulator in its own process, as the bench drives it. */
export interface EmulatorHandle {
  readonly pid: number;
  readonly environmentId: string;
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
  approve(authorizeUrl: string | URL): Promise<URL>;
  resetCounters(): Promise<void>;
  tokenRequests(grantType: string): Promise<number>;
  setTokenDelayMs(ms: number): Promise<void>;
  close(): Promise<void>;
}

async function startEmulatorProcess(options: EmulatorOptions): Promise<EmulatorHandle> {
  const rpc: Rpc = await forkRpc(new URL('emulator-process.ts', import.meta.url), {
    EMULATOR_OPTIONS: JSON.stringify(options),
  });
  const info = rpc.hello as { environmentId: string; authBaseUrl: string; apiBaseUrl: string };
  return {
    pid: rpc.pid,
    ...info,
    approve: async (url) => new URL(await rpc.call<string>('approve', url.toString())),
    resetCounters: () => rpc.call('resetCounters'),
    tokenRequests: (grantType) => rpc.call('tokenRequests', grantType),
    setTokenDelayMs: (ms) => rpc.call('setTokenDelayMs', ms),
    close: async () => {
      await rpc.call('close').catch(() => undefined);
      await rpc.close();
    },
  };
}

/** An emulator and the real server bin, each in a child process, both on loopback. */
export interface Stack {
  readonly server: Service;
  readonly serverUrl: string;
  readonly secretKey: string;
  readonly emulator: EmulatorHandle;
  readonly client: PingOneConnect;
  /** The emulator client's id and secret, for an anchor that signs in as the same app. */
  readonly oauthClient: { clientId: string; clientSecret: string };
  /** A port the emulator accepts `/callback` redirects to, for the connect-flow anchor. */
  readonly anchorPort: number;
  /** Where the SQLite file is. */
  readonly databaseFile: string;
  /**
   * One connect flow as the element and a browser make it (mint, `/oauth/connect`, sign-in and
   * consent, `/oauth/callback` with the browser-binding cookie). `onStep` is called before and
   * after the two server steps measured on their own.
   */
  connect(
    endUserId: string,
    onStep?: (step: 'connect' | 'callback', phase: 'before' | 'after') => void,
  ): Promise<{ attemptId: string; token: string }>;
  /** The connection an attempt made; throws unless the attempt succeeded. */
  confirm(attempt: { attemptId: string; token: string }): Promise<string>;
  /** Stops the server and starts it again on the same file, port and keys. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** An existing SQLite file to run on (kept at close); default a fresh one, deleted at close. */
  databaseFile?: string;
}

/**
 * Starts an emulator and the server against it: keys made for this run, a SQLite file,
 * webhooks and log retention off, rate limits out of the way of the load.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const secretKey = `sk_bench_${random(24)}`;
  const clientSecret = random(24);
  const [port, anchorPort] = [await freePort(), await freePort()];
  const serverUrl = `http://127.0.0.1:${port}`;
  const oauthClient = { clientId: CLIENT_ID, clientSecret };
  const emulator = await startEmulatorProcess({
    ...options.emulator,
    clients: [
      {
        ...oauthClient,
        redirectUris: [`${serverUrl}/oauth/callback`, `http://127.0.0.1:${anchorPort}/callback`],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  const dir = options.databaseFile
    ? undefined
    : await mkdtemp(join(tmpdir(), 'pingone-connect-bench-'));
  const databaseFile = options.databaseFile ?? join(dir!, 'bench.db');
  const env = {
    NODE_ENV: 'production',
    PUBLIC_URL: serverUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    SECRET_KEYS: secretKey,
    SESSION_SIGNING_KEY: random(32),
    ENCRYPTION_KEYS: random(32),
    ALLOWED_ORIGINS: HOST_ORIGIN,
    DATABASE_URL: `sqlite:${databaseFile}`,
    ...emulatorEnv(emulator, { ...oauthClient, tokenEndpointAuthMethod: 'client_secret_post' }),
    RATE_LIMIT_OAUTH_PER_MINUTE: '1000000',
    RATE_LIMIT_POLL_PER_MINUTE: '1000000',
    // Retention off: the scale store's seeded rows are dated 2024 and must stay seeded, and a
    // prune is no part of any path measured here.
    LOG_RETENTION_DAYS: '0',
  };
  // `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=…"` profiles the server under the load.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const startServer = () => startService('server', [...nodeArgs, SERVER_CLI], env, serverUrl);
  let server: Service;
  try {
    server = await startServer();
  } catch (error) {
    await emulator.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const client = new PingOneConnect({ secretKey, host: serverUrl });
  const target = { fetch, baseUrl: serverUrl, emulator, secretKey, origin: HOST_ORIGIN };

  return {
    get server() {
      return server;
    },
    serverUrl,
    secretKey,
    emulator,
    client,
    oauthClient,
    anchorPort,
    databaseFile,
    async connect(endUserId, onStep) {
      const { token } = await client.createConnectSession({ endUser: { id: endUserId } });
      if (!onStep) {
        const { attemptId, response } = await connectFlow(target, { token });
        await response.body?.cancel();
        if (response.status !== 200) throw new Error(`/oauth/callback answered ${response.status}`);
        return { attemptId, token };
      }
      // As connectFlow, with a reading of the server's CPU around each server step.
      const stepped = {
        ...target,
        fetch: async (url: string, init?: RequestInit) => {
          onStep('connect', 'before');
          const response = await fetch(url, init);
          onStep('connect', 'after');
          return response;
        },
      };
      const signedIn = await signIn(stepped, { token });
      onStep('callback', 'before');
      const response = await fetch(signedIn.callbackUrl, {
        redirect: 'manual',
        headers: { cookie: signedIn.cookie },
      });
      await response.arrayBuffer();
      onStep('callback', 'after');
      if (response.status !== 200) throw new Error(`/oauth/callback answered ${response.status}`);
      return { attemptId: signedIn.attemptId, token };
    },
    async confirm({ attemptId, token }) {
      const response = await fetch(`${serverUrl}/connect/attempts/${attemptId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const status = (await response.json()) as { status?: string; connection_id?: string };
      if (status.status !== 'success' || !status.connection_id) {
        throw new Error(`attempt ${attemptId} ended ${JSON.stringify(status)}`);
      }
      return status.connection_id;
    },
    async restartServer() {
      await server.close();
      server = await startServer();
    },
    async close() {
      await server.close();
      await emulator.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
