// `pnpm bench`: starts its own emulator and server on loopback, measures DESIGN §8 side by
// side, prints one table and writes bench/results.json. Exits 1 when the refresh burst made
// more or fewer than one upstream token request, or when anything fails.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { measureBundles } from './bundle-size.js';
import { measureConnectCpu } from './connect-cpu.js';
import { LOAD, measureSideBySide, ratioOf } from './load.js';
import { measureRefreshBurst } from './refresh-burst.js';
import { formatResults, resultsJson, type BenchResults } from './report.js';
import { startStack, type Stack } from './stack.js';

const RESULTS_FILE = new URL('../results.json', import.meta.url);
const CONNECT_FLOWS = 20;
const BURST_READS = 200;
const BURST_TOKEN_DELAY_MS = 1_000;
// Every step is bounded on its own; this bounds the whole run should one of them hang.
const TIME_LIMIT_MS = 180_000;

/** Session mint, credential read and proxy rates, each side by side with its baseline. */
async function measureServer(stack: Stack) {
  const serverCpuSeconds = () => stack.serverCpuSeconds();
  const auth = { authorization: `Bearer ${stack.secretKey}` };
  const healthz = { url: `${stack.serverUrl}/healthz` };
  const connectionId = await stack.confirm(await stack.connect('bench-read'));
  const server = await measureSideBySide({
    healthz: { target: healthz, serverCpuSeconds },
    mint: {
      target: {
        url: `${stack.serverUrl}/connect/sessions`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ end_user: { id: 'bench-load', email: 'load@example.com' } }),
      },
      serverCpuSeconds,
    },
    read: {
      target: { url: `${stack.serverUrl}/connections/${connectionId}`, headers: auth },
      serverCpuSeconds,
    },
  });

  // The user's own record: what PingOne lets a Web App's self-service `p1:read:user` token read
  // (GET /v1/environments needs a role, which only a Worker app's token carries).
  const { credentials, provider_account } = await stack.client.getConnection(connectionId);
  const ownRecord = `/v1/environments/${stack.emulator.environmentId}/users/${provider_account.sub}`;
  const proxy = await measureSideBySide({
    direct: {
      target: {
        url: `${stack.emulator.apiBaseUrl}${ownRecord}`,
        headers: { authorization: `Bearer ${credentials.access_token}` },
      },
    },
    proxied: {
      target: {
        url: `${stack.serverUrl}/proxy${ownRecord}`,
        headers: { ...auth, 'connection-id': connectionId },
      },
      serverCpuSeconds,
    },
  });
  return {
    server: {
      healthz: server.healthz,
      mint: { ...server.mint, ratioToHealthz: ratioOf(server.mint, server.healthz) },
      read: { ...server.read, ratioToHealthz: ratioOf(server.read, server.healthz) },
    },
    proxy: {
      direct: proxy.direct,
      proxied: { ...proxy.proxied, ratioToDirect: ratioOf(proxy.proxied, proxy.direct) },
    },
  };
}

async function withStack<T>(
  options: Parameters<typeof startStack>[0],
  run: (stack: Stack) => Promise<T>,
): Promise<T> {
  const stack = await startStack(options);
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

async function main(): Promise<number> {
  const bundles = await measureBundles();
  const { server, proxy, connect } = await withStack({}, async (stack) => ({
    ...(await measureServer(stack)),
    connect: await measureConnectCpu(stack, CONNECT_FLOWS),
  }));
  // Access tokens that live 60 s are always inside the server's 5-minute refresh window.
  const burst = await withStack({ tokenTtl: { accessToken: 60 } }, (stack) =>
    measureRefreshBurst(stack, BURST_READS, BURST_TOKEN_DELAY_MS),
  );
  const ok = burst.upstreamTokenRequests === 1 && burst.distinctAccessTokens === 1;
  const healthzCpuMs = server.healthz.serverCpuMsPerRequest ?? Number.NaN;

  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    load: LOAD,
    bundles,
    server,
    proxy,
    connect: { ...connect, ratioToHealthzRequest: connect.serverCpuMsPerFlow / healthzCpuMs },
    refreshBurst: { ...burst, ok },
  };
  await writeFile(RESULTS_FILE, resultsJson(results));
  process.stdout.write(`${formatResults(results)}\n`);
  if (!ok) {
    process.stderr.write(
      `\nbench: ${burst.reads} concurrent reads made ${burst.upstreamTokenRequests} upstream token ` +
        `requests and saw ${burst.distinctAccessTokens} access tokens; both must be 1.\n`,
    );
    return 1;
  }
  return 0;
}

const limit = setTimeout(() => {
  process.stderr.write(`bench: did not finish within ${TIME_LIMIT_MS / 1000} s\n`);
  process.exit(1);
}, TIME_LIMIT_MS);
limit.unref();

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  clearTimeout(limit);
}
