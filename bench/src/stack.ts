import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator, type EmulatorOptions } from '@pingone-connect/emulator';
import { PingOneConnect } from '@pingone-connect/node';
import { connectFlow, emulatorEnv, freePort } from '@pingone-connect/testing';
import { processCpuSeconds } from './proc-cpu.js';

/** The origin the connect flow claims to come from (no page is served there). */
export const HOST_ORIGIN = 'http://127.0.0.1:5173';
const CLIENT_ID = 'pingone-connect-bench';
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The server's own bin, next to the package entry point. */
const SERVER_CLI = fileURLToPath(new URL('cli.js', import.meta.resolve('@pingone-connect/server')));

/** An emulator in this process and the real server bin in a child process, both on loopback. */
export interface Stack {
  readonly serverUrl: string;
  readonly secretKey: string;
  readonly emulator: Emulator;
  readonly client: PingOneConnect;
  /** CPU seconds the server process has used so far. */
  serverCpuSeconds(): number;
  /**
   * One connect flow as the element and a browser make it: mint a session, post
   * `/oauth/connect`, sign in and consent at the emulator, follow the callback with the
   * browser-binding cookie. Returns what {@link confirm} needs; it asks the server nothing more.
   */
  connect(endUserId: string): Promise<{ attemptId: string; token: string }>;
  /** The connection an attempt made; throws unless the attempt succeeded. */
  confirm(attempt: { attemptId: string; token: string }): Promise<string>;
  close(): Promise<void>;
}

/** Waits until the server says it listens; fails with its standard error if it exits first. */
async function listening(child: ChildProcess): Promise<void> {
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes(' listening on ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  const timeout = AbortSignal.timeout(STARTUP_TIMEOUT_MS);
  const timedOut = once(timeout, 'abort').then(() => {
    throw new Error('the server did not start in time');
  });
  await Promise.race([started, timedOut]);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts an emulator (with `emulatorOptions`) and the server against it: keys made for this
 * run, a fresh SQLite file, webhooks off, rate limits out of the way of the load.
 */
export async function startStack(emulatorOptions: EmulatorOptions = {}): Promise<Stack> {
  const secretKey = `sk_bench_${random(24)}`;
  const clientSecret = random(24);
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const emulatorClient = {
    clientId: CLIENT_ID,
    clientSecret,
    redirectUris: [`${serverUrl}/oauth/callback`],
  };
  const emulator = await startEmulator({
    ...emulatorOptions,
    clients: [{ ...emulatorClient, tokenEndpointAuthMethod: 'client_secret_post' }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-bench-'));
  const child = spawn(process.execPath, [SERVER_CLI], {
    // Only what the server needs: no variable of the calling shell (e.g. WEBHOOK_URL) leaks in.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PUBLIC_URL: serverUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      SECRET_KEYS: secretKey,
      SESSION_SIGNING_KEY: random(32),
      ENCRYPTION_KEYS: random(32),
      ALLOWED_ORIGINS: HOST_ORIGIN,
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      ...emulatorEnv(emulator, emulatorClient),
      RATE_LIMIT_OAUTH_PER_MINUTE: '1000000',
      RATE_LIMIT_POLL_PER_MINUTE: '1000000',
    },
    // The JSON log lines are written as in production, and dropped.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Should this process end early (the bench's time limit), the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const close = async () => {
    process.off('exit', killOnExit);
    await stop(child);
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await listening(child);
  } catch (error) {
    await close();
    throw error;
  }
  const client = new PingOneConnect({ secretKey, host: serverUrl });

  return {
    serverUrl,
    secretKey,
    emulator,
    client,
    serverCpuSeconds: () => processCpuSeconds(child.pid!),
    async connect(endUserId) {
      const { token } = await client.createConnectSession({ endUser: { id: endUserId } });
      const target = { fetch, baseUrl: serverUrl, emulator, secretKey, origin: HOST_ORIGIN };
      const { attemptId, response: finished } = await connectFlow(target, { token });
      await finished.body?.cancel();
      if (finished.status !== 200) throw new Error(`/oauth/callback answered ${finished.status}`);
      return { attemptId, token };
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
    close,
  };
}
