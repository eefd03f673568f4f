import autocannon from 'autocannon';

/** A fixed request to repeat. */
export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Bounds of the load, the same for every target so that their ratios compare like with like:
 * each target gets `rounds` runs of `durationSeconds`, interleaved with the targets it is
 * compared with.
 */
export const LOAD = { connections: 10, durationSeconds: 1, rounds: 5 } as const;

/** What one run measured. */
export interface Throughput {
  /** Successful (2xx) responses per second. */
  requestsPerSecond: number;
  requests: number;
  /** Server CPU milliseconds per successful request, when the server's CPU was read. */
  serverCpuMsPerRequest?: number;
}

/**
 * Repeats `target` for {@link LOAD}`.durationSeconds` over {@link LOAD}`.connections`
 * keep-alive connections, from a worker thread so that the load generator does not share an
 * event loop with the emulator. Any error, timeout or non-2xx answer fails the run: a fast
 * stream of refusals must never pass for throughput.
 */
async function measureThroughput(
  target: LoadTarget,
  serverCpuSeconds?: () => number,
): Promise<Throughput> {
  const cpuBefore = serverCpuSeconds?.();
  const result = await autocannon({
    ...target,
    connections: LOAD.connections,
    duration: LOAD.durationSeconds,
    workers: 1,
    timeout: 10,
  });
  const cpuAfter = serverCpuSeconds?.();
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0 || result['2xx'] === 0) {
    throw new Error(
      `${target.method ?? 'GET'} ${new URL(target.url).pathname}: ${result['2xx']} ok, ` +
        `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const requests = result['2xx'];
  return {
    requestsPerSecond: requests / result.duration,
    requests,
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { serverCpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / requests }
      : {}),
  };
}

/** A target's rounds: the median round's rate, requests and CPU over all rounds, each round's rate. */
export interface RoundsThroughput extends Throughput {
  roundRates: number[];
}

/** The median, so that one round disturbed by something else on the machine does not count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Measures `targets` side by side: {@link LOAD}`.rounds` rounds, after one unmeasured warm-up
 * round, each running every target once for {@link LOAD}`.durationSeconds`, in turn. A busy or
 * throttled machine then slows a target and its baseline alike, which keeps their ratio steady.
 */
export async function measureSideBySide<Name extends string>(
  targets: Record<Name, { target: LoadTarget; serverCpuSeconds?: () => number }>,
): Promise<Record<Name, RoundsThroughput>> {
  const names = Object.keys(targets) as Name[];
  const runs = new Map<Name, Throughput[]>(names.map((name) => [name, []]));
  // Round -1 warms every path up (lazy compilation, caches, SQLite pages) and is not counted.
  for (let round = -1; round < LOAD.rounds; round += 1) {
    for (const name of names) {
      const { target, serverCpuSeconds } = targets[name];
      const run = await measureThroughput(target, serverCpuSeconds);
      if (round >= 0) runs.get(name)!.push(run);
    }
  }
  const summed = {} as Record<Name, RoundsThroughput>;
  for (const [name, list] of runs) {
    const requests = list.reduce((sum, run) => sum + run.requests, 0);
    const cpuMs = list.reduce(
      (sum, run) => sum + (run.serverCpuMsPerRequest ?? 0) * run.requests,
      0,
    );
    summed[name] = {
      requestsPerSecond: median(list.map((run) => run.requestsPerSecond)),
      requests,
      roundRates: list.map((run) => run.requestsPerSecond),
      ...(targets[name].serverCpuSeconds ? { serverCpuMsPerRequest: cpuMs / requests } : {}),
    };
  }
  return summed;
}

/** The median over rounds of `subject`'s rate divided by `baseline`'s in the same round. */
export function ratioOf(subject: RoundsThroughput, baseline: RoundsThroughput): number {
  return median(subject.roundRates.map((rate, round) => rate / baseline.roundRates[round]!));
}
