// Server CPU per request: load from the load-generator process, the server's main-thread CPU
// read from /proc before and after each round (DESIGN §8).
import { max, median, min, quantile } from 'simple-statistics';
import { forkRpc, type Rpc } from './child.js';
import { threadTimes } from './proc.js';

/** A fixed request to repeat. */
export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface RunOptions {
  connections: number;
  seconds: number;
  /** Requests per second over all connections; absent: as fast as the server answers. */
  rate?: number;
}

/** What one autocannon run saw. */
export interface LoadRun {
  ok: number;
  failed: number;
  seconds: number;
}

/** How hard and how long each path is measured. */
export interface Plan {
  rounds: number;
  roundSeconds: number;
  /** The unmeasured saturating run that warms a path up and finds its top rate. */
  calibrationSeconds: number;
  connections: number;
  /** Measured rounds run at this share of the top rate, leaving the machine some headroom. */
  loadShare: number;
  /** A round whose run-queue wait exceeds this share of its CPU time is repeated… */
  waitLimit: number;
  /** …at most this many times, then kept and reported as noisy. */
  maxRepeats: number;
}

export interface Round {
  cpuMsPerRequest: number;
  /** Run-queue wait ÷ CPU time in the round. */
  waitShare: number;
  requests: number;
  /** Kept after {@link Plan.maxRepeats} repeats still over {@link Plan.waitLimit}. */
  noisy: boolean;
}

export interface CpuFigure {
  /** Median of the rounds' main-thread CPU milliseconds per request. */
  cpuMsPerRequest: number;
  spread: { min: number; max: number };
  /** Median of the rounds' run-queue wait ÷ CPU. */
  waitShare: number;
  rounds: Round[];
  noisyRounds: number;
  /** Repeated rounds (over the wait limit) in all. */
  repeats: number;
  /** The rate the rounds ran at (requests per second). */
  rate: number;
}

export interface Load {
  run(target: LoadTarget, options: RunOptions): Promise<LoadRun>;
  /** Milliseconds of each of `requests` sequential keep-alive requests. */
  latency(target: LoadTarget, requests: number): Promise<number[]>;
  close(): Promise<void>;
}

export async function startLoad(): Promise<Load> {
  const rpc: Rpc = await forkRpc(new URL('load-process.ts', import.meta.url));
  return {
    run: (target, options) => rpc.call<LoadRun>('run', target, options),
    latency: (target, requests) => rpc.call<number[]>('latency', target, requests),
    close: () => rpc.close(),
  };
}

const describe = (target: LoadTarget) =>
  `${target.method ?? 'GET'} ${new URL(target.url).pathname}`;

/** A run that must not have failed: a fast stream of refusals never passes for a cheap request. */
async function checkedRun(load: Load, target: LoadTarget, options: RunOptions): Promise<LoadRun> {
  const run = await load.run(target, options);
  if (run.failed > 0 || run.ok === 0) {
    throw new Error(`${describe(target)}: ${run.ok} ok, ${run.failed} failed`);
  }
  return run;
}

/**
 * CPU per request of the server `pid` on `target`: one saturating calibration run (unmeasured:
 * warm-up, and the top rate), then {@link Plan.rounds} rounds at {@link Plan.loadShare} of it.
 */
export async function measureCpu(
  load: Load,
  pid: number,
  target: LoadTarget,
  plan: Plan,
): Promise<CpuFigure> {
  const options = { connections: plan.connections };
  const top = await checkedRun(load, target, { ...options, seconds: plan.calibrationSeconds });
  const rate = Math.max(1, Math.round((top.ok / top.seconds) * plan.loadShare));
  const rounds: Round[] = [];
  let repeats = 0;
  for (let index = 0; index < plan.rounds; index += 1) {
    for (let attempt = 0; ; attempt += 1) {
      const before = threadTimes(pid);
      const run = await checkedRun(load, target, { ...options, seconds: plan.roundSeconds, rate });
      const after = threadTimes(pid);
      const cpuNs = after.cpuNs - before.cpuNs;
      const waitShare = (after.waitNs - before.waitNs) / cpuNs;
      const noisy = waitShare > plan.waitLimit;
      if (noisy && attempt < plan.maxRepeats) {
        repeats += 1;
        continue;
      }
      rounds.push({ cpuMsPerRequest: cpuNs / 1e6 / run.ok, waitShare, requests: run.ok, noisy });
      break;
    }
  }
  const perRequest = rounds.map((round) => round.cpuMsPerRequest);
  return {
    cpuMsPerRequest: median(perRequest),
    spread: { min: min(perRequest), max: max(perRequest) },
    waitShare: median(rounds.map((round) => round.waitShare)),
    rounds,
    noisyRounds: rounds.filter((round) => round.noisy).length,
    repeats,
    rate,
  };
}

/** Where a saturated server's main thread spends a request's time besides its CPU. */
export interface BlockedFigure {
  cpuMsPerRequest: number;
  /** Wall − CPU − run-queue wait, per request: asleep in the kernel (fsync) or idle in epoll. */
  offCpuMsPerRequest: number;
  /** Block-I/O delay per request from delay accounting; null when the kernel does not count it. */
  blkioMsPerRequest: number | null;
  requests: number;
}

/**
 * One saturating run of `seconds`: the main thread then always has work queued, so time it
 * spends neither on a CPU nor waiting for one is time blocked in a system call — for a mint,
 * the commit's fsync. Idle gaps between requests count too, which a path without fsync (healthz)
 * shows as its floor.
 */
export async function measureBlocked(
  load: Load,
  pid: number,
  target: LoadTarget,
  seconds: number,
  connections: number,
  ticksCounted: boolean,
): Promise<BlockedFigure> {
  const before = threadTimes(pid);
  const run = await checkedRun(load, target, { connections, seconds });
  const after = threadTimes(pid);
  const cpuMs = (after.cpuNs - before.cpuNs) / 1e6;
  const waitMs = (after.waitNs - before.waitNs) / 1e6;
  const offCpuMs = Math.max(0, after.wallMs - before.wallMs - cpuMs - waitMs);
  return {
    cpuMsPerRequest: cpuMs / run.ok,
    offCpuMsPerRequest: offCpuMs / run.ok,
    blkioMsPerRequest: ticksCounted ? ((after.blkioTicks - before.blkioTicks) * 10) / run.ok : null,
    requests: run.ok,
  };
}

/** p50 and p99 of sequential latencies, in milliseconds. */
export function latencyFigure(times: number[]): { p50: number; p99: number } {
  return { p50: median(times), p99: quantile(times, 0.99) };
}
