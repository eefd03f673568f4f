import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertRunnableAsPostgres, TestPostgresError } from './postgres.js';

// `nobody` stands in for the `postgres` user: what matters is an unprivileged user.
const NOBODY = { uid: 65534, gid: 65534 };
const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)('the tests’ PostgreSQL, started as root', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('fails at once, saying why and how to use TEST_DATABASE_URL, when its user cannot reach the binaries', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'pingone-connect-private-')); // mode 0700
    dirs.push(hidden);
    const initdb = join(hidden, 'initdb');
    await copyFile('/bin/true', initdb);
    let thrown: unknown;
    try {
      assertRunnableAsPostgres(initdb, NOBODY);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TestPostgresError);
    expect(String((thrown as Error).message)).toMatch(/cannot run .*initdb \(.*EACCES/);
    expect(String((thrown as Error).message)).toContain('TEST_DATABASE_URL=postgres://');
  });

  it('passes when its user can run the binary', () => {
    expect(() => assertRunnableAsPostgres('/bin/true', NOBODY)).not.toThrow();
  });
});
