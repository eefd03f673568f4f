// `node scripts/check-cycles.mjs`: no import cycle inside any package. Runs
// `madge --circular --extensions ts <dir>` over each package's src/, demo/src and bench/src (imports
// between packages go through their entry points, never into another src/), and fails on any
// cycle that is not one of the known ones below.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/**
 * Cycles known today, for their package's owner to break; each is `dir: a > b > …` as madge
 * prints it. None today; never add to it.
 *
 * @type {Set<string>}
 */
const KNOWN = new Set([]);

const dirs = [
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/src`),
  'demo/src',
  'bench/src',
].filter((dir) => existsSync(join(root, dir)));

const problems = [];
const stale = new Set(KNOWN);
for (const dir of dirs) {
  const madge = spawnSync(
    'pnpm',
    ['exec', 'madge', '--circular', '--extensions', 'ts', '--json', dir],
    { cwd: root, encoding: 'utf8' },
  );
  let cycles;
  try {
    cycles = JSON.parse(madge.stdout);
  } catch {
    problems.push(`${dir}: madge failed (${madge.status}): ${madge.stderr.trim()}`);
    continue;
  }
  for (const cycle of cycles) {
    const name = `${dir}: ${cycle.join(' > ')}`;
    if (KNOWN.has(name)) stale.delete(name);
    else problems.push(`${name} (new cycle)`);
  }
  console.log(`${dir}: ${cycles.length === 0 ? 'no cycle' : `${cycles.length} known cycle(s)`}`);
}
for (const name of stale) problems.push(`${name}: listed as known but gone; drop it from the list`);

if (problems.length > 0) {
  console.error('Import cycles:');
  for (const line of problems) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`no new import cycle (${KNOWN.size} known, listed in scripts/check-cycles.mjs)`);
