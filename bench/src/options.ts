import type { FlowPlan } from './connect-steps.js';
import type { Plan } from './load.js';

/** What `pnpm bench [--quick] [--scale] [--json]` runs. */
export interface BenchOptions {
  mode: 'full' | 'quick' | 'scale';
  /** Print JSON instead of the table. */
  json: boolean;
  cpu: Plan;
  flow: FlowPlan;
  /** Sequential requests per latency figure. */
  latencyRequests: number;
  /** Seconds of the saturating run behind the fsync figure. */
  blockedSeconds: number;
  /** Connect flows after which RSS is read (1k and 10k); absent: no memory figure. */
  memoryFlows?: readonly [number, number];
  scale: boolean;
}

const common = { connections: 8, loadShare: 0.5, waitLimit: 0.1, maxRepeats: 3 };

export function parseOptions(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--scale', '--json']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0)
    throw new Error(`unknown option ${unknown.join(' ')}; use --quick, --scale, --json`);
  const json = argv.includes('--json');
  if (argv.includes('--quick')) {
    return {
      mode: 'quick',
      json,
      // No repeat of a noisy round (it is reported as noisy): a minute, whatever the machine does.
      cpu: { ...common, rounds: 3, roundSeconds: 1, calibrationSeconds: 0.3, maxRepeats: 0 },
      flow: { warmUpFlows: 30, rounds: 3, flowsPerRound: 10 },
      latencyRequests: 200,
      blockedSeconds: 1,
      scale: false,
    };
  }
  const full = {
    json,
    cpu: { ...common, rounds: 5, roundSeconds: 3, calibrationSeconds: 1 },
    flow: { warmUpFlows: 100, rounds: 5, flowsPerRound: 40 },
    latencyRequests: 2_000,
    blockedSeconds: 3,
  };
  // `--scale` alone: the scale figures (and what they are compared with) only.
  if (argv.includes('--scale')) return { ...full, mode: 'scale', scale: true };
  return { ...full, mode: 'full', memoryFlows: [1_000, 10_000], scale: true };
}
