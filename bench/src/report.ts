import type { BundleSizes } from './bundle-size.js';
import type { ConnectCpu } from './connect-cpu.js';
import { LOAD, type RoundsThroughput } from './load.js';
import type { RefreshBurst } from './refresh-burst.js';

/** Everything one run measured; written to `bench/results.json` as is. */
export interface BenchResults {
  date: string;
  node: string;
  cpus: number;
  load: typeof LOAD;
  bundles: BundleSizes;
  server: {
    healthz: RoundsThroughput;
    mint: RoundsThroughput & { ratioToHealthz: number };
    read: RoundsThroughput & { ratioToHealthz: number };
  };
  proxy: { direct: RoundsThroughput; proxied: RoundsThroughput & { ratioToDirect: number } };
  connect: ConnectCpu & { ratioToHealthzRequest: number };
  refreshBurst: RefreshBurst & { ok: boolean };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const perSecond = (value: number) => `${Math.round(value)}/s`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const ms = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(2)} ms`);
const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;

type Row = readonly string[];

/** Rows padded into columns: the first left-aligned, the others right-aligned. */
function columns(rows: readonly Row[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    if (row.length === 1) continue;
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  }
  return rows
    .map((row) => {
      // A one-cell row is a section heading, not a value.
      if (row.length === 1) return `\n${row[0]}`;
      return row
        .map((cell, index) =>
          index === 0 ? `  ${cell.padEnd(widths[0] ?? 0)}` : cell.padStart(widths[index] ?? 0),
        )
        .join('   ')
        .trimEnd();
    })
    .join('\n');
}

/** The table `pnpm bench` prints. */
export function formatResults(results: BenchResults): string {
  const { bundles, server, proxy, connect, refreshBurst: burst } = results;
  const rows: Row[] = [
    ['Widget bundles (gzip level 9)'],
    ['', 'min', 'gzip', 'share of gzip'],
    ['pingone-connect.js (Lit included)', kB(bundles.single.min), kB(bundles.single.gzip), '100%'],
    [
      'pingone-connect.lit-external.js',
      kB(bundles.litExternal.min),
      kB(bundles.litExternal.gzip),
      percent(bundles.litExternal.gzip, bundles.single.gzip),
    ],
    [
      "Lit's share (difference)",
      kB(bundles.litShare.min),
      kB(bundles.litShare.gzip),
      percent(bundles.litShare.gzip, bundles.single.gzip),
    ],
    ['Server throughput'],
    ['', 'rate', 'ratio', 'server CPU/request'],
    [
      'GET /healthz',
      perSecond(server.healthz.requestsPerSecond),
      '1.00×',
      ms(server.healthz.serverCpuMsPerRequest),
    ],
    [
      'POST /connect/sessions',
      perSecond(server.mint.requestsPerSecond),
      `${ratio(server.mint.ratioToHealthz)} healthz`,
      ms(server.mint.serverCpuMsPerRequest),
    ],
    [
      'GET /connections/:id (fresh)',
      perSecond(server.read.requestsPerSecond),
      `${ratio(server.read.ratioToHealthz)} healthz`,
      ms(server.read.serverCpuMsPerRequest),
    ],
    ['PingOne API proxy (GET …/v1/environments/{envId}/users/{sub})'],
    ['', 'rate', 'ratio', 'server CPU/request'],
    ['emulator, called directly', perSecond(proxy.direct.requestsPerSecond), '1.00×', ''],
    [
      'through /proxy',
      perSecond(proxy.proxied.requestsPerSecond),
      `${ratio(proxy.proxied.ratioToDirect)} direct`,
      ms(proxy.proxied.serverCpuMsPerRequest),
    ],
    ['Connect flow (mint → /oauth/connect → sign-in → /oauth/callback)'],
    ['', 'flows', 'ratio', 'server CPU/flow'],
    [
      'completed flows, server process CPU',
      String(connect.flows),
      `${connect.ratioToHealthzRequest.toFixed(0)}× a healthz request`,
      ms(connect.serverCpuMsPerFlow),
    ],
    ['Refresh single flight'],
    ['', 'reads', 'token requests', 'verdict'],
    [
      'concurrent reads, expiring connection',
      String(burst.reads),
      `${burst.upstreamTokenRequests} (must be 1)`,
      burst.ok ? 'ok' : 'FAIL',
    ],
  ];
  const { connections, durationSeconds, rounds } = results.load;
  const footer = [
    '',
    `Load: autocannon, ${connections} connections, from a worker thread; ${rounds} interleaved rounds of ${durationSeconds} s`,
    'per target; rates are the median round, ratios the median of the per-round ratios.',
    `The server runs in its own process; its CPU time is read from /proc. Node ${results.node}, ${results.cpus} CPUs.`,
    `Refresh burst: the emulator holds the refresh ${burst.tokenDelayMs} ms, so that every read overlaps it.`,
    'Ratios are the figures that matter: measured side by side in one run, they compare across',
    'runs and machines; absolute rates and times depend on the machine and its load.',
  ];
  return `pingone-connect bench, ${results.date}\n${columns(rows)}\n${footer.join('\n')}`;
}

/**
 * `results` as JSON laid out the way Prettier lays it out (numbers rounded to 0.01, short
 * number arrays on one line), so that a results file left in the tree passes `prettier --check`.
 */
export function resultsJson(results: BenchResults): string {
  const rounded = (_key: string, value: unknown) =>
    typeof value === 'number' ? Math.round(value * 100) / 100 : value;
  return `${JSON.stringify(results, rounded, 2).replace(
    /\[\s+([-\d.,\s]+?)\s+\]/g,
    (_match, items: string) => `[${items.split(/,\s*/).join(', ')}]`,
  )}\n`;
}
