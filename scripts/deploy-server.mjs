// Builds the standalone server directory: the built server, its production dependencies (no
// workspace links, no dev tools) and its own lockfile, ready to copy to a machine or an image
// and start with `node <dir>/dist/cli.js`.
//
//   node scripts/deploy-server.mjs <dest> [--skip-build]
//
// `pnpm deploy` (pnpm 12) copies the workspace packages it needs (the protocol) into the
// directory instead of linking them, and writes a lockfile for the package alone: neither
// `inject-workspace-packages` nor `--legacy` is needed. Packages come from pnpm's store, so on
// a machine that has installed the workspace it runs offline, better-sqlite3's compiled
// binary included (from the store's build cache). `<dest>` must not exist or be empty.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const [dest, ...rest] = args.filter((arg) => arg !== '--skip-build');
if (!dest || rest.length > 0) {
  process.stderr.write('Usage: node scripts/deploy-server.mjs <dest> [--skip-build]\n');
  process.exit(2);
}
const target = resolve(dest);
if (existsSync(target) && readdirSync(target).length > 0) {
  process.stderr.write(`${target} is not empty; give a new or empty directory.\n`);
  process.exit(2);
}

const root = resolve(import.meta.dirname, '..');
const pnpm = (...command) => {
  const { status } = spawnSync('pnpm', command, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

// Only what ships: the protocol and the server's own sources (not their tests' build).
if (!skipBuild) {
  for (const name of ['@pingone-connect/protocol', '@pingone-connect/server'])
    pnpm('--filter', name, 'exec', 'tsc', '-p', 'tsconfig.json');
}
pnpm('--filter', '@pingone-connect/server', 'deploy', '--prod', '--prefer-offline', target);
process.stdout.write(`Server directory ready: start it with  node ${target}/dist/cli.js\n`);
