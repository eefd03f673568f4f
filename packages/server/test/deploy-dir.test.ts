// The standalone server directory (DESIGN §4.11): built by scripts/deploy-server.mjs into a
// fresh folder outside the workspace, started with one `node` command and its environment,
// and used for a whole connect flow against the emulator. Nothing of the workspace is on its
// module path, so a dependency missing from the directory fails here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, postedResult } from './support.js';
import { ServerProcess, emulatorFor, serverEnv, signInOverHttp } from './server-process.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/deploy-server.mjs', import.meta.url));

describe('the deployable server directory', () => {
  let dir: string;
  let emulator: Emulator | undefined;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-deploy-'));
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds with pnpm deploy, starts with node, answers /healthz and completes a connect flow', async () => {
    const target = join(dir, 'server');
    // The package is built already (its test script and the root test build first).
    const build = spawnSync(process.execPath, [SCRIPT, target, '--skip-build'], {
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(join(target, 'node_modules', 'better-sqlite3'))).toBe(true);
    // Production dependencies only: no test tools, no emulator.
    expect(existsSync(join(target, 'node_modules', '@pingone-connect', 'emulator'))).toBe(false);
    expect(existsSync(join(target, 'node_modules', 'vitest'))).toBe(false);

    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator = await emulatorFor(publicUrl);
    server = new ServerProcess(
      [],
      serverEnv(port, emulator, join(dir, 'data', 'connect.db')),
      join(target, 'dist', 'cli.js'),
    );
    await server.waitFor(/listening on/);

    const health = await fetch(`${publicUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const { callbackUrl, cookie } = await signInOverHttp(publicUrl, emulator, 'att_deploy_01');
    const callback = await fetch(callbackUrl, { headers: { cookie } });
    expect(callback.status).toBe(200);
    expect(postedResult(await callback.text()).message).toMatchObject({
      ok: true,
      attempt_id: 'att_deploy_01',
    });
  }, 120_000);
});
