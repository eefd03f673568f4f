// The server as it ships, run as a child process: the built bin, its environment against an
// emulator, and a connect flow driven over HTTP as the element and a browser would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  startEmulator,
  type Emulator,
  type EmulatorClient,
  type EmulatorOptions,
} from '@pingone-connect/emulator';
import { emulatorEnv, signIn } from '@pingone-connect/testing';
import { CLIENT_ID, CLIENT_SECRET, HOST_ORIGIN, SECRET_KEY, testKey } from './support.js';

// The built bin, as it ships (the package's test script and the root test run build first).
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** The CLI as a child process, with its output collected line by line. */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly stdout: string[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: (() => void)[] = [];

  /** @param cli The bin to run; default the package's own build. */
  constructor(args: string[], env: Record<string, string>, cli = CLI) {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build the package first`);
    this.child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.stdout.push(...lines);
      this.#notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#notify();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  #notify() {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Resolves once the output matches `pattern` (an explicit signal, not a delay). */
  async waitFor(pattern: RegExp): Promise<void> {
    while (!pattern.test(`${this.stdout.join('\n')}\n${this.stderr}`)) {
      if (this.child.exitCode !== null) throw new Error(`exited early:\n${this.stderr}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** The environment of a CLI server on `port` against `emulator`, storing in `database`. */
export function serverEnv(
  port: number,
  emulator: Emulator,
  database: string,
): Record<string, string> {
  return {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: testKey(1),
    ENCRYPTION_KEYS: testKey(2),
    ALLOWED_ORIGINS: HOST_ORIGIN,
    DATABASE_URL: `sqlite:${database}`,
    ...emulatorEnv(emulator, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
  };
}

/** An emulator whose client redirects to the server at `publicUrl`. */
export function emulatorFor(
  publicUrl: string,
  options: Omit<EmulatorOptions, 'clients'> & { client?: Partial<EmulatorClient> } = {},
): Promise<Emulator> {
  const { client, ...rest } = options;
  return startEmulator({
    ...rest,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${publicUrl}/oauth/callback`],
        ...client,
      },
    ],
  });
}

/**
 * Mints a session, starts attempt `attemptId` and signs in at the emulator over HTTP, as the
 * element and a browser would: returns where the browser goes next and the cookie it holds.
 */
export async function signInOverHttp(
  publicUrl: string,
  emulator: Emulator,
  attemptId: string,
  endUserId = 'user-1',
): Promise<{ callbackUrl: URL; cookie: string; token: string }> {
  const target = {
    fetch,
    baseUrl: publicUrl,
    emulator,
    secretKey: SECRET_KEY,
    origin: HOST_ORIGIN,
  };
  const { callbackUrl, cookie, token } = await signIn(target, {
    session: { end_user: { id: endUserId } },
    attemptId,
  });
  return { callbackUrl, cookie, token };
}
