// The PingOne emulator in a process of its own, so that its CPU (sign-in pages, token signing)
// is neither the server's nor the load generator's. Started by `emulator-client.ts` with
// `fork`; options arrive as JSON in EMULATOR_OPTIONS, and the few calls the bench makes come as
// IPC messages `{ id, op, args }`, answered `{ id, value }` or `{ id, error }`.
import { startEmulator, type EmulatorOptions } from '@pingone-connect/emulator';

const emulator = await startEmulator(JSON.parse(process.env.EMULATOR_OPTIONS!) as EmulatorOptions);

type Call = { id: number; op: string; args: unknown[] };

const ops: Record<string, (...args: never[]) => unknown> = {
  approve: async (url: string) => (await emulator.approve(url)).toString(),
  resetCounters: () => emulator.resetCounters(),
  tokenRequests: (grantType: string) => emulator.tokenRequests(grantType),
  setTokenDelayMs: (ms: number) => {
    emulator.faults.tokenDelayMs = ms;
  },
  close: async () => {
    await emulator.close();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', (message: Call) => {
  void (async () => {
    try {
      const value = await ops[message.op]!(...(message.args as never[]));
      process.send!({ id: message.id, value });
    } catch (error) {
      process.send!({ id: message.id, error: String(error) });
    }
  })();
});
process.send!({
  id: 0,
  value: {
    environmentId: emulator.environmentId,
    authBaseUrl: emulator.authBaseUrl,
    apiBaseUrl: emulator.apiBaseUrl,
  },
});
