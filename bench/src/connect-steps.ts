import { median } from 'simple-statistics';
import type { Service } from './child.js';
import { threadTimes } from './proc.js';
import type { EmulatorHandle, Stack } from './stack.js';

export type Step = 'connect' | 'callback';

/** Main-thread CPU of the two server steps of a connect flow, per flow. */
export interface FlowCpu {
  flows: number;
  /** Median over rounds of CPU ms per flow on each step, and on both. */
  connectMs: number;
  callbackMs: number;
  totalMs: number;
  spread: { min: number; max: number };
}

export interface FlowPlan {
  warmUpFlows: number;
  rounds: number;
  flowsPerRound: number;
}

/** Runs one flow, calling `onStep` around each measured server step. */
type Flow = (
  index: number,
  onStep: (step: Step, phase: 'before' | 'after') => void,
) => Promise<unknown>;

async function measureFlows(pid: number, flow: Flow, plan: FlowPlan): Promise<FlowCpu> {
  for (let index = 0; index < plan.warmUpFlows; index += 1) await flow(index, () => undefined);
  const rounds: Record<Step, number>[] = [];
  for (let round = 0; round < plan.rounds; round += 1) {
    const spent: Record<Step, number> = { connect: 0, callback: 0 };
    const started: Record<Step, number> = { connect: 0, callback: 0 };
    for (let index = 0; index < plan.flowsPerRound; index += 1) {
      await flow(plan.warmUpFlows + round * plan.flowsPerRound + index, (step, phase) => {
        const { cpuNs } = threadTimes(pid);
        if (phase === 'before') started[step] = cpuNs;
        else spent[step] += cpuNs - started[step];
      });
    }
    rounds.push({
      connect: spent.connect / 1e6 / plan.flowsPerRound,
      callback: spent.callback / 1e6 / plan.flowsPerRound,
    });
  }
  const totals = rounds.map((round) => round.connect + round.callback);
  return {
    flows: plan.rounds * plan.flowsPerRound,
    connectMs: median(rounds.map((round) => round.connect)),
    callbackMs: median(rounds.map((round) => round.callback)),
    totalMs: median(totals),
    spread: { min: Math.min(...totals), max: Math.max(...totals) },
  };
}

/**
 * The project's flow, for a new end user each (each flow creates a connection). The server's
 * CPU is read around `POST /oauth/connect` and `GET /oauth/callback`; the mint before them and
 * the emulator's sign-in between them are not counted.
 */
export function measureProjectFlow(stack: Stack, plan: FlowPlan): Promise<FlowCpu> {
  return measureFlows(
    stack.server.pid,
    (index, onStep) => stack.connect(`bench-flow-${index}`, onStep),
    plan,
  );
}

/** The oauth4webapi client anchor's flow: `POST /connect`, sign-in, `GET /callback`. */
export function measureAnchorFlow(
  anchor: Service,
  emulator: EmulatorHandle,
  plan: FlowPlan,
): Promise<FlowCpu> {
  return measureFlows(
    anchor.pid,
    async (_index, onStep) => {
      onStep('connect', 'before');
      const started = await fetch(`${anchor.url}/connect`, { method: 'POST', redirect: 'manual' });
      await started.arrayBuffer();
      onStep('connect', 'after');
      const location = started.headers.get('location');
      if (started.status !== 303 || !location)
        throw new Error(`anchor /connect: ${started.status}`);
      const callback = await emulator.approve(location);
      onStep('callback', 'before');
      const finished = await fetch(callback, { redirect: 'manual' });
      await finished.arrayBuffer();
      onStep('callback', 'after');
      if (finished.status !== 200) throw new Error(`anchor /callback: ${finished.status}`);
    },
    plan,
  );
}
