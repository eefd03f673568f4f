// `pnpm demo`: install (from the lockfile), build the packages, then run the demo until
// Ctrl-C. The demo runs in its own process group and gets each signal once, from here: a
// second Ctrl-C reaching it directly would read as "stop now, do not clean up".
import { spawn, spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const step = (command, args) => {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

step(process.execPath, ['scripts/install.mjs']);
step('pnpm', ['--silent', 'run', 'build']);

const demo = spawn(
  process.execPath,
  ['--import', 'tsx', 'demo/src/main.ts', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    detached: true,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => demo.kill(signal));
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
