// Child processes of the bench: the emulator and the load generator (forked TypeScript, with an
// IPC channel) and the servers under measure (the project's bin and the anchors, with nothing
// but their environment). Each is killed should the bench process end first.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

function killOnExit(child: ChildProcess): () => void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A forked TypeScript module with request/answer messages over IPC. */
export interface Rpc {
  readonly pid: number;
  /** The first message the child sent (what it wants the parent to know once started). */
  readonly hello: unknown;
  call<T>(op: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export async function forkRpc(module: URL, env: Record<string, string> = {}): Promise<Rpc> {
  const child = fork(fileURLToPath(module), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forget = killOnExit(child);
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const hello = new Promise<unknown>((resolve, reject) => {
    waiting.set(0, { resolve, reject });
    child.once('exit', (code) => {
      for (const { reject: fail } of waiting.values()) fail(new Error(`child exited (${code})`));
    });
  });
  child.on('message', (message: { id: number; value?: unknown; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) entry?.reject(new Error(message.error));
    else entry?.resolve(message.value);
  });
  const first = await Promise.race([
    hello,
    once(AbortSignal.timeout(STARTUP_TIMEOUT_MS), 'abort').then(() => {
      throw new Error(`${fileURLToPath(module)} did not start in time`);
    }),
  ]);
  return {
    pid: child.pid!,
    hello: first,
    call<T>(op: string, ...args: unknown[]) {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args });
      });
    },
    async close() {
      forget();
      await stop(child);
    },
  };
}

/** A server under measure: its pid (whose main thread the bench reads) and how to stop it. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts `args` under this Node binary with exactly `env` (no variable of the calling shell
 * leaks in) and waits for ` listening on ` on its standard error.
 */
export async function startService(
  name: string,
  args: string[],
  env: Record<string, string>,
  url: string,
): Promise<Service> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    // Log lines are written as in production, and dropped.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const forget = killOnExit(child);
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (output.length < 20_000) output += chunk;
      if (output.includes(' listening on ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${output}`)));
  });
  const close = async () => {
    forget();
    await stop(child);
  };
  try {
    await Promise.race([
      started,
      once(AbortSignal.timeout(STARTUP_TIMEOUT_MS), 'abort').then(() => {
        throw new Error(`${name} did not start in time: ${output}`);
      }),
    ]);
  } catch (error) {
    await close();
    throw error;
  }
  // Past start-up only errors matter; keep draining so that the pipe never fills.
  child.stderr!.removeAllListeners('data').resume();
  return { name, pid: child.pid!, url, close };
}
