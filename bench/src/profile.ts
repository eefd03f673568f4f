// `node --import tsx bench/src/profile.ts [path…]`: the server under load, one path per server
// process, for profiling it. Pass node flags to the server with BENCH_SERVER_NODE_ARGS, e.g.
// `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof"`: each server process writes its
// profile when it stops, the last one of the path run in it. No figure is printed; read the
// profiles with `bench/src/profile-top.ts`.
import { startLoad, type LoadTarget } from './load.js';
import { startStack } from './stack.js';

const PATHS = ['healthz', 'mint', 'read', 'proxy', 'flow'] as const;
type Path = (typeof PATHS)[number];
const SECONDS = 5;
const FLOWS = 200;

const chosen = process.argv.slice(2);
const unknown = chosen.filter((path) => !(PATHS as readonly string[]).includes(path));
if (unknown.length > 0)
  throw new Error(`unknown path ${unknown.join(' ')}; use ${PATHS.join(' ')}`);
const paths = (chosen.length > 0 ? chosen : PATHS) as readonly Path[];

const load = await startLoad();
const stack = await startStack();
try {
  const auth = { authorization: `Bearer ${stack.secretKey}` };
  const connectionId = await stack.confirm(await stack.connect('bench-read'));
  const { provider_account } = await stack.client.getConnection(connectionId);
  const ownRecord = `/v1/environments/${stack.emulator.environmentId}/users/${provider_account.sub}`;
  const url = stack.serverUrl;
  const targets: Record<Exclude<Path, 'flow'>, LoadTarget> = {
    healthz: { url: `${url}/healthz` },
    mint: {
      url: `${url}/connect/sessions`,
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ end_user: { id: 'bench-load', email: 'load@example.com' } }),
    },
    read: { url: `${url}/connections/${connectionId}`, headers: auth },
    proxy: { url: `${url}/proxy${ownRecord}`, headers: { ...auth, 'connection-id': connectionId } },
  };
  for (const path of paths) {
    // A server process of its own: its profile holds this path and its start-up only.
    await stack.restartServer();
    if (path === 'flow') {
      for (let i = 0; i < FLOWS; i++) await stack.confirm(await stack.connect(`profile-${i}`));
      process.stderr.write(`flow: ${FLOWS} flows\n`);
    } else {
      const run = await load.run(targets[path], { connections: 8, seconds: SECONDS });
      process.stderr.write(`${path}: ${run.ok} ok, ${run.failed} failed in ${run.seconds} s\n`);
    }
  }
} finally {
  await stack.close();
  await load.close();
}
