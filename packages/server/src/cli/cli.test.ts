import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import pg from 'pg';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { MIGRATIONS } from '../store/migrations.js';
import { ENGINES, type Engine } from '../../test/engines.js';
import { ServerProcess } from '../../test/server-process.js';
import { HOST_ORIGIN, SECRET_KEY, testKey } from '../../test/support.js';

async function run(args: string[], env: Record<string, string> = {}) {
  const command = new ServerProcess(args, env);
  const code = await command.exited;
  return { code, stdout: command.stdout.join('\n'), stderr: command.stderr };
}

/**
 * The `.env` lines printed. The output's last newline is lost in the collected lines; put back,
 * since Node 20's parseEnv reads a last comment line without one as a variable.
 */
const dotenv = (stdout: string) => parseEnv(`${stdout}\n`);

describe('keys generate', () => {
  it('prints a .env block that loadConfig accepts with the non-key settings added', async () => {
    const { code, stdout } = await run(['keys', 'generate']);
    expect(code).toBe(0);
    const env = dotenv(stdout);
    expect(Object.keys(env).sort()).toEqual([
      'DASHBOARD_PASSWORD',
      'ENCRYPTION_KEYS',
      'METRICS_TOKEN',
      'SECRET_KEYS',
      'SESSION_SIGNING_KEY',
    ]);
    const config = loadConfig({ ...env, ALLOWED_ORIGINS: HOST_ORIGIN });
    expect(config.encryptionKeys).toHaveLength(1);
    expect(config.metricsToken).toBe(env.METRICS_TOKEN);
  });

  it('prints a WEBHOOK_SECRET that loadConfig accepts once its lines are uncommented', async () => {
    const { stdout } = await run(['keys', 'generate']);
    const env = dotenv(stdout.replace(/^# (WEBHOOK_\w+=)/gm, '$1'));
    const config = loadConfig({ ...env, ALLOWED_ORIGINS: HOST_ORIGIN });
    expect(config.webhook?.secret).toBe(env.WEBHOOK_SECRET);
  });

  it('prints fresh keys on every run', async () => {
    const [first, second] = await Promise.all([
      run(['keys', 'generate']),
      run(['keys', 'generate']),
    ]);
    const a = dotenv(first.stdout);
    const b = dotenv(second.stdout);
    for (const name of Object.keys(a)) expect(a[name]).not.toBe(b[name]);
  });
});

describe('--help', () => {
  it.each([
    [['--help'], /rotate-encryption-key \[--check\]/],
    [['keys', '--help'], /keys generate-jwk/],
    [['generate-key', '--help'], /older name of keys generate-jwk/],
    [['rotate-encryption-key', '--help'], /--check/],
    [['migrate', '--help'], /schema of DATABASE_URL/],
  ])('%j prints its usage with its exit codes and exits 0', async (args, usage) => {
    const { code, stdout } = await run(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(usage);
    expect(stdout).toMatch(/Exit codes:/);
  });

  it('an unknown command exits 2', async () => {
    const { code, stderr } = await run(['rotate-keys']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command: rotate-keys');
  });

  it('an unknown argument of a command exits 2', async () => {
    expect((await run(['migrate', '--force'])).code).toBe(2);
  });
});

describe.each(ENGINES)('migrate on a fresh %s database', (_name, makeEngine) => {
  let engine: Engine;
  let dir: string;
  beforeAll(async () => {
    engine = await makeEngine();
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-migrate-'));
  });
  afterAll(async () => {
    await engine?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: testKey(1),
    ENCRYPTION_KEYS: testKey(2),
    ALLOWED_ORIGINS: HOST_ORIGIN,
    DATABASE_URL: engine.url,
  });

  it('applies every migration and exits 0; a second run finds nothing to do', async () => {
    const first = await run(['migrate'], env());
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/schema is up to date/);
    expect(await appliedMigrations(engine.url)).toEqual(Object.keys(MIGRATIONS));
    expect((await run(['migrate'], env())).code).toBe(0);
  });

  it('exits 2 naming the bad variable when the configuration is invalid', async () => {
    const { code, stderr } = await run(['migrate'], { ...env(), ENCRYPTION_KEYS: 'short' });
    expect(code).toBe(2);
    expect(stderr).toContain('ENCRYPTION_KEYS');
  });
});

/** The names in Kysely's migration table, in order. */
async function appliedMigrations(url: string): Promise<string[]> {
  const query = 'select name from kysely_migration order by name';
  if (url.startsWith('sqlite:')) {
    const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
    try {
      return (db.prepare(query).all() as { name: string }[]).map((row) => row.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>(query)).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}
