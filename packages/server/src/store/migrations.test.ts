import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './open.js';
import { ENGINES, type Engine } from '../../test/engines.js';

const OPEN = fileURLToPath(new URL('../../dist/store/open.js', import.meta.url));
const REPLICAS = 4;

/**
 * A server process that opens (and so migrates) the store the moment it reads a line on
 * stdin, and reports how that went: every replica is ready before any of them migrates.
 */
function replica(url: string) {
  const script = `
    import { openStore } from ${JSON.stringify(pathToFileURL(OPEN).href)};
    process.stdout.write('ready\\n');
    process.stdin.once('data', async () => {
      try {
        const store = await openStore(${JSON.stringify(url)});
        await store.close();
        process.exit(0);
      } catch (error) {
        process.stderr.write(String(error?.message) + ': ' + String(error?.cause?.message));
        process.exit(1);
      }
    });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { ready, exited, go: () => child.stdin.write('go\n') };
}

describe.each(ENGINES)(
  '§6.10 migrations are safe when several processes start at once (%s)',
  (_name, start) => {
    let engine: Engine;
    beforeAll(async () => {
      if (!existsSync(OPEN))
        throw new Error('dist/store/open.js is missing: build the package first');
      engine = await start();
    });
    afterAll(() => engine.stop());

    it(`${REPLICAS} replicas migrating one fresh database together all start`, async () => {
      const replicas = Array.from({ length: REPLICAS }, () => replica(engine.url));
      await Promise.all(replicas.map((r) => r.ready));
      for (const r of replicas) r.go();
      const outcomes = await Promise.all(replicas.map((r) => r.exited));
      expect(outcomes).toEqual(replicas.map(() => ({ code: 0, stderr: '' })));

      const store = await openStore(engine.url);
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
    });
  },
);
