// `node scripts/check-cycles.mjs`: no import cycle inside any package. Runs
// `madge --circular --extensions ts <dir>` over each package's src/, demo/src and bench/src
// (imports between packages go through their entry points, never into another src/), and fails
// on any cycle, type-only imports included.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

const dirs = [
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/src`),
  'demo/src',
  'bench/src',
].filter((dir) => existsSync(join(root, dir)));

const problems = [];
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
  for (const cycle of cycles) problems.push(`${dir}: ${cycle.join(' > ')}`);
  console.log(`${dir}: ${cycles.length === 0 ? 'no cycle' : `${cycles.length} cycle(s)`}`);
}

if (problems.length > 0) {
  console.error('Import cycles:');
  for (const line of problems) console.error(`  ${line}`);
  process.exit(1);
}
console.log('no import cycle');
