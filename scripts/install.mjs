// Installs the workspace from the lockfile. better-sqlite3 compiles from source where its
// prebuilt binary cannot be downloaded; node-gyp then needs Node's headers, and fetches them
// unless told where local ones are. Point it at the system's headers when they belong to
// this very Node (a mismatch would build a module that crashes on load).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The version of the headers under `<prefix>/include/node`, or null. */
function headersVersion(prefix) {
  try {
    const header = readFileSync(`${prefix}/include/node/node_version.h`, 'utf8');
    const part = (name) => new RegExp(`#define ${name} (\\d+)`).exec(header)?.[1];
    return `v${part('NODE_MAJOR_VERSION')}.${part('NODE_MINOR_VERSION')}.${part('NODE_PATCH_VERSION')}`;
  } catch {
    return null;
  }
}

const env = { ...process.env };
if (!env.npm_config_nodedir && headersVersion('/usr') === process.version) {
  env.npm_config_nodedir = '/usr';
}
const { status } = spawnSync('pnpm', ['install', '--frozen-lockfile', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(status ?? 1);
