import type { BundleSizes } from './bundle-size.js';
import type { FlowCpu, FlowPlan } from './connect-steps.js';
import type { BlockedFigure, CpuFigure, Plan } from './load.js';
import type { RefreshBurst } from './refresh-burst.js';

/** Project ÷ anchor goals (DESIGN §8 and the performance issue). */
export const GOALS = {
  healthz: 2,
  mint: 1.3,
  read: 1.3,
  proxy: 2,
  connectFlow: 2,
  memory: 1.2,
} as const;

export interface Versus {
  value: number;
  baseline: number;
  ratio: number;
}

/** A figure beside its baseline (the same figure on the empty store). */
export function versus(value: number, baseline: number): Versus {
  return { value, baseline, ratio: value / baseline };
}

interface Compared {
  ratio: number;
  goal: number;
  met: boolean;
}
type Latency = { p50: number; p99: number };

/** Everything one run measured; `--json` prints it as is. Keys are documented in bench/README.md. */
export interface BenchResults {
  date: string;
  mode: 'full' | 'quick' | 'scale';
  node: string;
  cpus: number;
  plan: { cpu: Plan; flow: FlowPlan; latencyRequests: number };
  cpu: {
    healthz: Compared & { project: CpuFigure; anchor: CpuFigure };
    mint: Compared & { project: CpuFigure; anchor: CpuFigure; anchorNormal: CpuFigure };
    read: Compared & { project: CpuFigure; anchor: CpuFigure };
    proxy: Compared & {
      project: CpuFigure;
      anchor: CpuFigure;
      anchorFetch: CpuFigure;
      /**
       * The read anchor's CPU plus the node:http anchor's: what any proxy that reads and
       * decrypts the credentials before it forwards spends at the least, and its ratio.
       */
      floor: { cpuMsPerRequest: number; ratio: number };
    };
  };
  connectFlow: Compared & { project: FlowCpu; anchor: FlowCpu };
  proxyLatency: {
    direct: Latency;
    proxied: Latency;
    nodeHttpAnchor: Latency;
    addedP50Ms: number;
    anchorAddedP50Ms: number;
  };
  blocked: {
    delayAccounting: boolean;
    healthz: BlockedFigure;
    mint: BlockedFigure;
    mintAnchorFull: BlockedFigure;
    mintAnchorNormal: BlockedFigure;
  };
  store: { listByEndUserP50Ms: number; logsP50Ms: number };
  refreshBurst: RefreshBurst & { ok: boolean };
  bundles: BundleSizes;
  memory?: {
    flows: readonly [number, number];
    rssBytes: readonly [number, number];
    ratio: number;
    goal: number;
    met: boolean;
  };
  scale?: {
    connections: number;
    logRows: number;
    readCpuMs: Versus;
    listByEndUserP50Ms: Versus;
    logsP50Ms: Versus;
    readSpread: { min: number; max: number };
    readNoisyRounds: number;
  };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const ms = (value: number) => `${value.toFixed(3)} ms`;
const x = (value: number) => `${value.toFixed(2)}×`;
const pct = (value: number) => `${(value * 100).toFixed(0)}%`;
const spread = (figure: { spread: { min: number; max: number } }) =>
  `${figure.spread.min.toFixed(3)}–${figure.spread.max.toFixed(3)}`;

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

const noise = (figure: CpuFigure) =>
  `${pct(figure.waitShare)}${figure.noisyRounds ? ` (${figure.noisyRounds} noisy)` : ''}`;

function cpuRow(
  path: string,
  project: CpuFigure,
  anchorName: string,
  anchor: CpuFigure,
  compared: Compared,
): Row {
  return [
    path,
    ms(project.cpuMsPerRequest),
    spread(project),
    noise(project),
    anchorName,
    ms(anchor.cpuMsPerRequest),
    noise(anchor),
    x(compared.ratio),
    `≤ ${compared.goal}×`,
    compared.met ? 'yes' : 'NO',
  ];
}

const anchorOnly = (name: string, figure: CpuFigure): Row => [
  '',
  '',
  '',
  '',
  name,
  ms(figure.cpuMsPerRequest),
  noise(figure),
  '',
  '',
  '',
];

type Scale = NonNullable<BenchResults['scale']>;

function scaleRows(scale: Scale): Row[] {
  return [
    [`Scale: ${scale.connections / 1e6}M connections, ${scale.logRows / 1e6}M log rows`],
    ['', 'scaled', 'empty', 'ratio'],
    [
      'GET /connections/:id CPU',
      ms(scale.readCpuMs.value),
      ms(scale.readCpuMs.baseline),
      x(scale.readCpuMs.ratio),
    ],
    [
      'GET /connections?end_user_id= p50',
      ms(scale.listByEndUserP50Ms.value),
      ms(scale.listByEndUserP50Ms.baseline),
      x(scale.listByEndUserP50Ms.ratio),
    ],
    [
      'GET /logs p50',
      ms(scale.logsP50Ms.value),
      ms(scale.logsP50Ms.baseline),
      x(scale.logsP50Ms.ratio),
    ],
  ];
}

/** The table `pnpm bench --scale` prints. */
export function formatScale(scale: Scale): string {
  return columns(scaleRows(scale)).trimStart();
}

/** The table `pnpm bench` prints. */
export function formatResults(results: BenchResults): string {
  const {
    cpu,
    connectFlow: flow,
    proxyLatency: latency,
    blocked,
    bundles,
    refreshBurst: burst,
  } = results;
  const rows: Row[] = [
    [
      'Server main-thread CPU per request (median of rounds; spread = min–max; wait = run-queue wait ÷ CPU)',
    ],
    ['path', 'project', 'spread', 'wait', 'anchor', 'anchor CPU', 'wait', 'ratio', 'goal', 'met?'],
    cpuRow('GET /healthz', cpu.healthz.project, 'bare Hono', cpu.healthz.anchor, cpu.healthz),
    cpuRow(
      'POST /connect/sessions',
      cpu.mint.project,
      'Hono+jose+2 rows FULL',
      cpu.mint.anchor,
      cpu.mint,
    ),
    anchorOnly('… synchronous=NORMAL', cpu.mint.anchorNormal),
    cpuRow(
      'GET /connections/:id',
      cpu.read.project,
      'select+JWE decrypt',
      cpu.read.anchor,
      cpu.read,
    ),
    cpuRow(
      'GET /proxy/v1/…/users/{sub}',
      cpu.proxy.project,
      'node:http pass-through',
      cpu.proxy.anchor,
      cpu.proxy,
    ),
    anchorOnly('fetch pass-through', cpu.proxy.anchorFetch),
    [
      '',
      '',
      '',
      '',
      'floor: read + node:http anchors',
      ms(cpu.proxy.floor.cpuMsPerRequest),
      '',
      x(cpu.proxy.floor.ratio),
      '',
      '',
    ],
    ['Connect flow, server CPU per flow (after warm-up flows)'],
    ['', 'connect', 'callback', 'both', 'spread', 'ratio', 'goal', 'met?'],
    [
      'project (/oauth/connect, /oauth/callback)',
      ms(flow.project.connectMs),
      ms(flow.project.callbackMs),
      ms(flow.project.totalMs),
      spread(flow.project),
      x(flow.ratio),
      `≤ ${flow.goal}×`,
      flow.met ? 'yes' : 'NO',
    ],
    [
      'oauth4webapi client floor',
      ms(flow.anchor.connectMs),
      ms(flow.anchor.callbackMs),
      ms(flow.anchor.totalMs),
      spread(flow.anchor),
      '',
      '',
      '',
    ],
    ['Proxy latency, one request in flight'],
    ['', 'p50', 'p99', 'added p50'],
    ['emulator, called directly', ms(latency.direct.p50), ms(latency.direct.p99), ''],
    [
      'through the project /proxy',
      ms(latency.proxied.p50),
      ms(latency.proxied.p99),
      ms(latency.addedP50Ms),
    ],
    [
      'through the node:http anchor',
      ms(latency.nodeHttpAnchor.p50),
      ms(latency.nodeHttpAnchor.p99),
      ms(latency.anchorAddedP50Ms),
    ],
    [
      `Blocked off CPU per request at saturation (wall − CPU − run-queue wait; delay accounting ${blocked.delayAccounting ? 'on' : 'off'})`,
    ],
    ['', 'CPU', 'off CPU', 'blkio'],
    ...(
      [
        ['project GET /healthz (no fsync: the floor)', blocked.healthz],
        ['project POST /connect/sessions', blocked.mint],
        ['mint anchor, synchronous=FULL', blocked.mintAnchorFull],
        ['mint anchor, synchronous=NORMAL', blocked.mintAnchorNormal],
      ] as const
    ).map(([name, figure]): Row => [
      name,
      ms(figure.cpuMsPerRequest),
      ms(figure.offCpuMsPerRequest),
      figure.blkioMsPerRequest === null ? 'n/a' : ms(figure.blkioMsPerRequest),
    ]),
    ['Store (empty), one request in flight'],
    ['', 'p50'],
    ['GET /connections?end_user_id=', ms(results.store.listByEndUserP50Ms)],
    ['GET /logs', ms(results.store.logsP50Ms)],
  ];
  if (results.scale) rows.push(...scaleRows(results.scale));
  if (results.memory) {
    const { memory } = results;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    rows.push(
      ['Memory: server RSS after connect flows'],
      ['', `${memory.flows[0]} flows`, `${memory.flows[1]} flows`, 'ratio', 'goal', 'met?'],
      [
        'RSS',
        mib(memory.rssBytes[0]),
        mib(memory.rssBytes[1]),
        x(memory.ratio),
        `≤ ${memory.goal}×`,
        memory.met ? 'yes' : 'NO',
      ],
    );
  }
  rows.push(
    ['Refresh single flight'],
    ['', 'reads', 'token requests', 'verdict'],
    [
      'concurrent reads, expiring connection',
      String(burst.reads),
      `${burst.upstreamTokenRequests} (must be 1)`,
      burst.ok ? 'ok' : 'FAIL',
    ],
    ['Widget bundles'],
    ['', 'min', 'gzip -9'],
    ['pingone-connect.js (Lit included)', kB(bundles.single.min), kB(bundles.single.gzip)],
    ['pingone-connect.lit-external.js', kB(bundles.litExternal.min), kB(bundles.litExternal.gzip)],
    ["Lit's share (difference)", kB(bundles.litShare.min), kB(bundles.litShare.gzip)],
  );
  const { cpu: plan, flow: flowPlan } = results.plan;
  const footer = [
    '',
    `${results.mode} run: ${plan.rounds} rounds of ${plan.roundSeconds} s per path at ${pct(plan.loadShare)} of its top rate, ${plan.connections} connections (autocannon, own process);`,
    plan.maxRepeats > 0
      ? `a round with run-queue wait > ${pct(plan.waitLimit)} of its CPU is repeated up to ${plan.maxRepeats} times, then kept as noisy.`
      : `a round with run-queue wait > ${pct(plan.waitLimit)} of its CPU is kept as noisy (not repeated).`,
    `Connect flow: ${flowPlan.warmUpFlows} warm-up flows, ${flowPlan.rounds} rounds of ${flowPlan.flowsPerRound}. Node ${results.node}, ${results.cpus} CPUs.`,
  ];
  return `pingone-connect bench, ${results.date}\n${columns(rows)}\n${footer.join('\n')}`;
}

/** `results` as JSON, numbers rounded to 4 decimals. */
export function resultsJson(results: BenchResults): string {
  const rounded = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value;
  return `${JSON.stringify(results, rounded, 2)}\n`;
}
