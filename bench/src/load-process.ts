// The load generator in a process of its own, so that its CPU is never counted as the
// server's and it does not share an event loop with the bench or the emulator. Two calls over
// IPC (see child.ts): `run` (autocannon, keep-alive connections, optionally at a fixed overall
// rate) and `latency` (one request in flight, a fixed count, each timed with hrtime).
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import type { LoadRun, LoadTarget, RunOptions } from './load.js';

async function run(target: LoadTarget, options: RunOptions): Promise<LoadRun> {
  const result = await autocannon({
    ...target,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: 10,
  });
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function once(target: LoadTarget): Promise<number> {
  const url = new URL(target.url);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: target.method ?? 'GET',
        headers: target.headers ?? {},
        agent,
      },
      (response) => {
        response.resume().once('end', () => {
          if ((response.statusCode ?? 500) >= 300) {
            reject(new Error(`${url.pathname} answered ${response.statusCode}`));
          } else resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    sent.once('error', reject);
    sent.end(target.body);
  });
}

async function latency(target: LoadTarget, requests: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < requests; index += 1) times.push(await once(target));
  return times;
}

type Call = { id: number; op: 'run' | 'latency'; args: unknown[] };

process.on('message', (message: Call) => {
  const work =
    message.op === 'run'
      ? run(...(message.args as unknown as [LoadTarget, RunOptions]))
      : latency(...(message.args as unknown as [LoadTarget, number]));
  work.then(
    (value) => process.send!({ id: message.id, value }),
    (error: unknown) => process.send!({ id: message.id, error: String(error) }),
  );
});
process.send!({ id: 0, value: 'ready' });
