// `pnpm bench [--quick | --scale] [--json]`: starts its own emulator, load generator, server
// and anchors (each a process of its own) on loopback, measures DESIGN §8 and prints a table
// (or JSON). Exits 1 when the refresh burst made more or fewer than one upstream refresh, or
// when anything fails. Goals are reported, not enforced: the figures are noisy on a shared box.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAnchor } from './anchors.js';
import { measureBundles } from './bundle-size.js';
import { measureAnchorFlow, measureProjectFlow } from './connect-steps.js';
import {
  latencyFigure,
  measureBlocked,
  measureCpu,
  startLoad,
  type CpuFigure,
  type Load,
  type LoadTarget,
} from './load.js';
import { parseOptions, type BenchOptions } from './options.js';
import { delayAccounting, residentBytes } from './proc.js';
import { measureRefreshBurst } from './refresh-burst.js';
import {
  GOALS,
  formatResults,
  formatScale,
  resultsJson,
  versus,
  type BenchResults,
} from './report.js';
import { SCALE, schemaVersion, seededDatabase, seededEndUser } from './scale.js';
import { startStack, type Stack } from './stack.js';

const BURST_READS = 200;
const BURST_TOKEN_DELAY_MS = 1_000;
const started = performance.now();
/** Progress on standard error, with the seconds since start, so that stdout stays the report. */
const progress = (line: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}\n`);

const auth = (stack: Stack) => ({ authorization: `Bearer ${stack.secretKey}` });
const mintTarget = (url: string, secretKey: string): LoadTarget => ({
  url: `${url}/connect/sessions`,
  method: 'POST',
  headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ end_user: { id: 'bench-load', email: 'load@example.com' } }),
});

/** The figures a store's size may move: read CPU and list latencies. */
async function measureStoreReads(
  stack: Stack,
  load: Load,
  options: BenchOptions,
  connectionId: string,
  endUserId: string,
) {
  const read = await measureCpu(
    load,
    stack.server.pid,
    { url: `${stack.serverUrl}/connections/${connectionId}`, headers: auth(stack) },
    options.cpu,
  );
  const latency = async (path: string) => {
    const target = { url: `${stack.serverUrl}${path}`, headers: auth(stack) };
    await load.latency(target, 50);
    return latencyFigure(await load.latency(target, options.latencyRequests));
  };
  return {
    read,
    listByEndUser: await latency(`/connections?end_user_id=${encodeURIComponent(endUserId)}`),
    logs: await latency('/logs'),
  };
}

async function measureScale(
  stack: Stack,
  load: Load,
  options: BenchOptions,
  empty: Awaited<ReturnType<typeof measureStoreReads>>,
) {
  const file = await seededDatabase(schemaVersion(stack.databaseFile), progress);
  const scaled = await startStack({ databaseFile: file });
  try {
    progress('scale: 1M connections, 10M log rows');
    const connectionId = await scaled.confirm(await scaled.connect(seededEndUser(7)));
    const figures = await measureStoreReads(scaled, load, options, connectionId, seededEndUser(7));
    return {
      connections: SCALE.connections,
      logRows: SCALE.logs,
      readCpuMs: versus(figures.read.cpuMsPerRequest, empty.read.cpuMsPerRequest),
      listByEndUserP50Ms: versus(figures.listByEndUser.p50, empty.listByEndUser.p50),
      logsP50Ms: versus(figures.logs.p50, empty.logs.p50),
      readSpread: figures.read.spread,
      readNoisyRounds: figures.read.noisyRounds,
    };
  } finally {
    await scaled.close();
  }
}

async function measureMemory(
  stack: Stack,
  [small, large]: readonly [number, number],
  done: number,
) {
  // Four flows at a time: 10k flows one by one would take too long; the server's state per
  // flow is the same.
  const runUntil = async (count: number) => {
    let next = done;
    const lane = async () => {
      while (next < count) {
        const index = next++;
        await stack.confirm(await stack.connect(`bench-memory-${index}`));
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    done = count;
  };
  await runUntil(small);
  const afterSmall = residentBytes(stack.server.pid);
  progress(`memory: RSS after ${small} flows ${(afterSmall / 2 ** 20).toFixed(0)} MiB`);
  await runUntil(large);
  const afterLarge = residentBytes(stack.server.pid);
  return {
    flows: [small, large] as const,
    rssBytes: [afterSmall, afterLarge] as const,
    ratio: afterLarge / afterSmall,
    goal: GOALS.memory,
    met: afterLarge / afterSmall <= GOALS.memory,
  };
}

async function main(options: BenchOptions): Promise<number> {
  const load = await startLoad();
  const scratch = await mkdtemp(join(tmpdir(), 'pingone-connect-bench-anchors-'));
  const stack = await startStack().catch(async (error: unknown) => {
    await load.close();
    throw error;
  });
  try {
    const pid = stack.server.pid;
    const cpu = (servicePid: number, target: LoadTarget) =>
      measureCpu(load, servicePid, target, options.cpu);
    const connectionId = await stack.confirm(await stack.connect('bench-read'));
    const empty = await measureStoreReads(stack, load, options, connectionId, 'bench-read');
    if (options.mode === 'scale') {
      const scale = await measureScale(stack, load, options, empty);
      process.stdout.write(
        options.json ? `${JSON.stringify({ scale }, null, 2)}\n` : `${formatScale(scale)}\n`,
      );
      return 0;
    }
    const anchorDb = (name: string) =>
      join(scratch, `${name}-${randomBytes(4).toString('hex')}.db`);

    progress('healthz');
    const healthzProject = await cpu(pid, { url: `${stack.serverUrl}/healthz` });
    const healthzAnchor = await withAnchor('healthz', {}, (anchor) =>
      cpu(anchor.pid, { url: `${anchor.url}/healthz` }),
    );

    progress('mint');
    const ticks = delayAccounting();
    const blocked = (servicePid: number, target: LoadTarget) =>
      measureBlocked(
        load,
        servicePid,
        target,
        options.blockedSeconds,
        options.cpu.connections,
        ticks,
      );
    const mint = mintTarget(stack.serverUrl, stack.secretKey);
    const mintProject = await cpu(pid, mint);
    const blockedProject = {
      healthz: await blocked(pid, { url: `${stack.serverUrl}/healthz` }),
      mint: await blocked(pid, mint),
    };
    const mintAnchor = async (synchronous: 'FULL' | 'NORMAL') =>
      withAnchor(
        'mint',
        {
          DATABASE_FILE: anchorDb('mint'),
          SIGNING_KEY: randomBytes(32).toString('hex'),
          SYNCHRONOUS: synchronous,
        },
        async (anchor, secretKey) => ({
          cpu: await cpu(anchor.pid, mintTarget(anchor.url, secretKey)),
          blocked: await blocked(anchor.pid, mintTarget(anchor.url, secretKey)),
        }),
      );
    const mintFull = await mintAnchor('FULL');
    const mintNormal = await mintAnchor('NORMAL');

    progress('read');
    const readAnchor = await withAnchor(
      'read',
      { DATABASE_FILE: anchorDb('read') },
      (anchor, secretKey) =>
        cpu(anchor.pid, {
          url: `${anchor.url}/connections/conn_1`,
          headers: { authorization: `Bearer ${secretKey}` },
        }),
    );

    progress('proxy');
    // The user's own record: what PingOne lets a Web App's `p1:read:user` token read.
    const { credentials, provider_account } = await stack.client.getConnection(connectionId);
    const ownRecord = `/v1/environments/${stack.emulator.environmentId}/users/${provider_account.sub}`;
    const proxied: LoadTarget = {
      url: `${stack.serverUrl}/proxy${ownRecord}`,
      headers: { ...auth(stack), 'connection-id': connectionId },
    };
    const direct: LoadTarget = {
      url: `${stack.emulator.apiBaseUrl}${ownRecord}`,
      headers: { authorization: `Bearer ${credentials.access_token}` },
    };
    const proxyProject = await cpu(pid, proxied);
    const passThroughEnv = {
      UPSTREAM: stack.emulator.apiBaseUrl,
      ACCESS_TOKEN: credentials.access_token,
    };
    const timed = async (target: LoadTarget) => {
      await load.latency(target, 50);
      return latencyFigure(await load.latency(target, options.latencyRequests));
    };
    const proxyNode = await withAnchor('proxy-node-http', passThroughEnv, async (anchor) => {
      const target = { url: `${anchor.url}/proxy${ownRecord}` };
      return { cpu: await cpu(anchor.pid, target), latency: await timed(target) };
    });
    const proxyFetch = await withAnchor('proxy-fetch', passThroughEnv, (anchor) =>
      cpu(anchor.pid, { url: `${anchor.url}/proxy${ownRecord}` }),
    );
    const latencyDirect = await timed(direct);
    const latencyProxied = await timed(proxied);

    progress('connect flow');
    const flowProject = await measureProjectFlow(stack, options.flow);
    const flowAnchor = await withAnchor(
      'connect-client',
      {
        PORT: String(stack.anchorPort),
        ISSUER: stack.emulator.authBaseUrl,
        CLIENT_ID: stack.oauthClient.clientId,
        CLIENT_SECRET: stack.oauthClient.clientSecret,
        REDIRECT_URI: `http://127.0.0.1:${stack.anchorPort}/callback`,
        SCOPE: 'openid profile email p1:read:user',
      },
      (anchor) => measureAnchorFlow(anchor, stack.emulator, options.flow),
    );

    let memory;
    if (options.memoryFlows) {
      progress('memory');
      const flowsSoFar =
        1 + options.flow.warmUpFlows + options.flow.rounds * options.flow.flowsPerRound;
      memory = await measureMemory(stack, options.memoryFlows, flowsSoFar);
    }
    const scale = options.scale
      ? (progress('scale'), await measureScale(stack, load, options, empty))
      : undefined;

    progress('refresh burst');
    // Access tokens that live 60 s are always inside the server's 5-minute refresh window.
    const burstStack = await startStack({ emulator: { tokenTtl: { accessToken: 60 } } });
    const burst = await measureRefreshBurst(burstStack, BURST_READS, BURST_TOKEN_DELAY_MS).finally(
      () => burstStack.close(),
    );
    const ok = burst.upstreamTokenRequests === 1 && burst.distinctAccessTokens === 1;

    const results: BenchResults = {
      date: new Date().toISOString(),
      mode: options.mode,
      node: process.version,
      cpus: availableParallelism(),
      plan: { cpu: options.cpu, flow: options.flow, latencyRequests: options.latencyRequests },
      cpu: {
        healthz: {
          project: healthzProject,
          anchor: healthzAnchor,
          ...compare(healthzProject.cpuMsPerRequest, healthzAnchor.cpuMsPerRequest, GOALS.healthz),
        },
        mint: {
          project: mintProject,
          anchor: mintFull.cpu,
          anchorNormal: mintNormal.cpu,
          ...compare(mintProject.cpuMsPerRequest, mintFull.cpu.cpuMsPerRequest, GOALS.mint),
        },
        read: {
          project: empty.read,
          anchor: readAnchor,
          ...compare(empty.read.cpuMsPerRequest, readAnchor.cpuMsPerRequest, GOALS.read),
        },
        proxy: {
          project: proxyProject,
          anchor: proxyNode.cpu,
          anchorFetch: proxyFetch,
          floor: proxyFloor(readAnchor, proxyNode.cpu),
          ...compare(proxyProject.cpuMsPerRequest, proxyNode.cpu.cpuMsPerRequest, GOALS.proxy),
        },
      },
      connectFlow: {
        project: flowProject,
        anchor: flowAnchor,
        ...compare(flowProject.totalMs, flowAnchor.totalMs, GOALS.connectFlow),
      },
      proxyLatency: {
        direct: latencyDirect,
        proxied: latencyProxied,
        nodeHttpAnchor: proxyNode.latency,
        addedP50Ms: latencyProxied.p50 - latencyDirect.p50,
        anchorAddedP50Ms: proxyNode.latency.p50 - latencyDirect.p50,
      },
      blocked: {
        delayAccounting: ticks,
        healthz: blockedProject.healthz,
        mint: blockedProject.mint,
        mintAnchorFull: mintFull.blocked,
        mintAnchorNormal: mintNormal.blocked,
      },
      store: { listByEndUserP50Ms: empty.listByEndUser.p50, logsP50Ms: empty.logs.p50 },
      refreshBurst: { ...burst, ok },
      bundles: await measureBundles(),
      ...(memory ? { memory } : {}),
      ...(scale ? { scale } : {}),
    };
    process.stdout.write(options.json ? resultsJson(results) : `${formatResults(results)}\n`);
    if (!ok) {
      process.stderr.write(
        `\nbench: ${burst.reads} concurrent reads made ${burst.upstreamTokenRequests} upstream token ` +
          `requests and saw ${burst.distinctAccessTokens} access tokens; both must be 1.\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await stack.close();
    await load.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

function compare(project: number, anchor: number, goal: number) {
  const ratio = project / anchor;
  return { ratio, goal, met: ratio <= goal };
}

/**
 * The proxy reads and decrypts a connection's credentials before it forwards: the read
 * anchor's work, then the pass-through's. Their sum is what the proxy cannot go below, beside
 * the pass-through alone that the goal divides by.
 */
function proxyFloor(read: CpuFigure, passThrough: CpuFigure) {
  const cpuMsPerRequest = read.cpuMsPerRequest + passThrough.cpuMsPerRequest;
  return { cpuMsPerRequest, ratio: cpuMsPerRequest / passThrough.cpuMsPerRequest };
}

try {
  process.exitCode = await main(parseOptions(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
