// A store the size of a busy deployment: 1M connections and 10M log rows, inserted straight
// into the server's own schema (the server made it: its migrations ran on the file first), and
// kept under the OS temp dir keyed by the schema's last migration, so that a rerun reuses it.
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startStack, type StackOptions } from './stack.js';

export const SCALE = { connections: 1_000_000, logs: 10_000_000, endUsers: 250_000 } as const;

/** The integration id the server gives its environment-configured integration. */
const INTEGRATION_ID = 'pingone';

/** The name of the last migration applied to `file`: the schema version. */
export function schemaVersion(file: string): string {
  const database = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = database
      .prepare<[], { name: string }>('select name from kysely_migration order by name desc limit 1')
      .get();
    if (!row) throw new Error('the server made no migration');
    return row.name;
  } finally {
    database.close();
  }
}

// The server's id shape (prefix, 10 base32 characters of milliseconds, 16 more), from a counter:
// seeded ids sort before anything the running server issues, as older rows would.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
function encode(value: number, chars: number): string {
  let out = '';
  for (let index = 0; index < chars; index += 1) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}
const EPOCH = Date.UTC(2024, 0, 1);
const seededId = (prefix: string, index: number) =>
  `${prefix}_${encode(EPOCH + Math.floor(index / 1000), 10)}${encode(index, 16)}`;
export const seededEndUser = (index: number) => `seed-user-${index % SCALE.endUsers}`;

function seed(file: string, report: (line: string) => void): void {
  const database = new Database(file);
  // Seeding only: no durability needed, and as much cache as the indexes want.
  database.pragma('journal_mode = DELETE');
  database.pragma('synchronous = OFF');
  database.pragma('cache_size = -2000000');
  // Credentials of a realistic size (a compact JWE of the token set); never decrypted.
  const credentials = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${'x'.repeat(1_300)}`;
  const connection = database.prepare(
    `insert into connections (id, integration_id, end_user_id, end_user_email, sub, provider_email,
      scopes, credentials, expires_at, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 'openid profile email p1:read:user', ?, ?, 'active', ?, ?)`,
  );
  const log = database.prepare(
    `insert into logs (id, created_at, level, event, message, integration_id, end_user_id,
      connection_id, data)
     values (?, ?, 'info', 'connection.read', 'Credentials read.', ?, ?, ?, '{"refreshed":false}')`,
  );
  const started = performance.now();
  database.transaction(() => {
    for (let index = 0; index < SCALE.connections; index += 1) {
      const user = seededEndUser(index);
      const time = EPOCH + index;
      connection.run(
        seededId('conn', index),
        INTEGRATION_ID,
        user,
        `${user}@example.com`,
        `seed-sub-${index}`,
        `${user}@example.com`,
        credentials,
        time + 3_600_000,
        time,
        time,
      );
    }
    for (let index = 0; index < SCALE.logs; index += 1) {
      const owner = index % SCALE.connections;
      log.run(
        seededId('log', index),
        EPOCH + index,
        INTEGRATION_ID,
        seededEndUser(owner),
        seededId('conn', owner),
      );
      if (index % 2_000_000 === 0 && index > 0) report(`  seeded ${index / 1e6}M log rows`);
    }
  })();
  database.close();
  report(`  seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The path of the seeded database for the current schema, seeding it first when there is none
 * (minutes for 10M rows; once per schema version).
 */
export async function seededDatabase(
  version: string,
  report: (line: string) => void,
): Promise<string> {
  const file = join(
    tmpdir(),
    `pingone-connect-bench-scale-${version}-${SCALE.connections}-${SCALE.logs}.db`,
  );
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  await rm(partial, { force: true });
  report(`  seeding ${file} (once per schema version)`);
  // The server creates the schema: start it once on the empty file, then stop it.
  const options: StackOptions = { databaseFile: partial };
  const stack = await startStack(options);
  await stack.close();
  seed(partial, report);
  await rename(partial, file);
  return file;
}
