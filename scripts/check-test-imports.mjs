// `node scripts/check-test-imports.mjs`: fails when a file under a shipped or runnable `src/`
// (packages/*/src, demo/src, bench/src) imports a test runner or a browser driver, unless it
// is itself a test file (`*.test.ts`). Test helpers belong next to the tests, outside `src/`
// (packages/<name>/test/), or in the shared @pingone-connect/testing package.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** Modules only tests may import: a runner, its assertion kit, or a browser driver. */
const TEST_ONLY =
  /^(vitest|@vitest\/[^/]+|@web\/test-runner(-[a-z-]+)?|@open-wc\/testing(-[a-z-]+)?|playwright(-core)?)(\/|$)/;

const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;
const TEST_FILE = /\.test\.ts$/;
// `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`, `require('x')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"]+)\1/g;

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (SOURCE.test(entry.name)) yield path;
  }
}

const roots = [
  ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'src')),
  join(root, 'demo', 'src'),
  join(root, 'bench', 'src'),
];

const offenders = [];
for (const dir of roots) {
  for (const file of files(dir)) {
    const name = relative(root, file);
    if (TEST_FILE.test(name)) continue;
    const imported = [...readFileSync(file, 'utf8').matchAll(SPECIFIER)]
      .map((match) => match[2])
      .filter((specifier) => TEST_ONLY.test(specifier));
    if (imported.length === 0) continue;
    offenders.push(`${name}: imports ${[...new Set(imported)].join(', ')}`);
  }
}

if (offenders.length > 0) {
  console.error('Test-only imports outside test files under src/:');
  for (const line of offenders) console.error(`  ${line}`);
  process.exit(1);
}
console.log('no test-only imports under src/');
