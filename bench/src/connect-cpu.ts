import type { Stack } from './stack.js';

/** Server CPU spent on completed connect flows. */
export interface ConnectCpu {
  flows: number;
  serverCpuMsPerFlow: number;
}

/**
 * Runs `flows` connect flows one after another, for a new end user each (so that each
 * creates a connection), and divides the server process's CPU time over them. One flow runs
 * first, unmeasured, so that one-off work (the provider's discovery document and key set,
 * lazy compilation) is not spread over the measured ones. The attempts are confirmed only after
 * the second CPU reading, so that the confirmation is not counted.
 */
export async function measureConnectCpu(stack: Stack, flows: number): Promise<ConnectCpu> {
  await stack.confirm(await stack.connect('bench-warm-up'));
  const attempts = [];
  const before = stack.serverCpuSeconds();
  for (let index = 0; index < flows; index += 1) {
    attempts.push(await stack.connect(`bench-user-${index}`));
  }
  const after = stack.serverCpuSeconds();
  for (const attempt of attempts) await stack.confirm(attempt);
  return { flows, serverCpuMsPerFlow: ((after - before) * 1000) / flows };
}
