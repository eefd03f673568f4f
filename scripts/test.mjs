// `pnpm test`: type-check and build every package, run every suite (vitest projects, the
// widget's browser tests), and end with one line totalling them: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const artifacts = join(root, '.test-artifacts');
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

/** Runs a command in the repository root with inherited output; returns its exit status. */
function run(command, args, env = {}) {
  const { status } = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return status ?? 1;
}

/** Reads `{passed, failed}` written by a suite's reporter, or null when it wrote none. */
function readCounts(file, pick) {
  try {
    return pick(JSON.parse(readFileSync(join(artifacts, file), 'utf8')));
  } catch {
    return null;
  }
}

const suites = [];

// The workspace from the lockfile first, as `pnpm demo` does, so that `pnpm test` works on a
// fresh clone by itself (a second of work when it is installed already).
if (run(process.execPath, ['scripts/install.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** A check that passes or fails as a whole counts as one test. */
function check(name, status) {
  suites.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
  return status;
}

// Type-check and build, in dependency order: a type error fails the run like a failing test.
const buildStatus = check(
  'type-check and build',
  run('pnpm', ['-r', '--filter', './packages/**', 'run', 'build']) ||
    run('pnpm', ['exec', 'tsc', '-p', 'demo/tsconfig.json']),
);
check(
  'formatting (prettier)',
  run('pnpm', ['exec', 'prettier', '--check', '--log-level=warn', '.']),
);

// No import cycle inside any package (madge over each src/, known cycles listed in the script).
check('no import cycles (madge)', run('node', ['scripts/check-cycles.mjs']));
// Nothing under a src/ imports a test runner or browser driver unless it is a test file.
check('no test-only imports under src/', run('node', ['scripts/check-test-imports.mjs']));

if (buildStatus === 0) {
  const vitestStatus = run('pnpm', [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(artifacts, 'vitest.json')}`,
  ]);
  const vitest = readCounts('vitest.json', (r) => ({
    passed: r.numPassedTests,
    failed: r.numFailedTests,
  }));
  suites.push({ name: 'vitest', ...(vitest ?? { passed: 0, failed: 1 }) });
  if (vitest && vitestStatus !== 0 && vitest.failed === 0)
    suites.push({ name: 'vitest exit', passed: 0, failed: 1 });

  const widgetStatus = run('pnpm', ['--filter', '@pingone-connect/widget', 'run', 'test'], {
    TEST_COUNTS_FILE: join(artifacts, 'widget.json'),
  });
  const widget = readCounts('widget.json', (r) => ({ passed: r.passed, failed: r.failed }));
  suites.push({ name: 'widget (Chromium)', ...(widget ?? { passed: 0, failed: 1 }) });
  if (widget && widgetStatus !== 0 && widget.failed === 0)
    suites.push({ name: 'widget exit', passed: 0, failed: 1 });
}

console.log('');
for (const s of suites) console.log(`  ${s.name}: ${s.passed} passed, ${s.failed} failed`);
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
