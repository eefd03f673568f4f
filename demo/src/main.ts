// `pnpm demo`: the emulator, the server and the sample customer app, until Ctrl-C.
import { CUSTOMER_IDS, CUSTOMERS } from './customers.js';
import { EMULATED_TENANTS } from './emulated-tenants.js';
import { startDemo } from './start-demo.js';

const verbose = process.argv.includes('--verbose');
// Ports can be moved when the defaults are taken; 0 lets the system pick.
const port = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const demo = await startDemo({
  ports: {
    app: port('DEMO_APP_PORT'),
    server: port('DEMO_SERVER_PORT'),
    emulator: port('DEMO_EMULATOR_PORT'),
  },
  log: verbose ? (line) => console.log(line) : undefined,
});

/** Where a continuation line starts: under the value, after the label column. */
const INDENT = ' '.repeat(23);

/** Each customer's emulated PingOne, and who signs in on it: one line each. */
const emulatedCustomers = () =>
  CUSTOMER_IDS.map((customer) => {
    const { environmentId, user } = EMULATED_TENANTS[customer];
    const name = CUSTOMERS[customer].displayName.padEnd(8);
    return `${INDENT}  ${name} environment ${environmentId}, sign in as "${user.username}" / "${user.password}"`;
  }).join('\n');

const where =
  demo.mode === 'emulator'
    ? [
        `the PingOne emulator at ${demo.emulator!.apiBaseUrl} (an emulator, not PingOne),`,
        `${INDENT}one environment per customer:`,
        emulatedCustomers(),
        `${INDENT}The server starts with no integration: set up each customer's PingOne in its`,
        `${INDENT}"Your PingOne" panel (filled in with the emulator's values), then connect.`,
      ].join('\n')
    : `real PingOne (environment ${process.env.PINGONE_ENVIRONMENT_ID}, region ${process.env.PINGONE_REGION ?? 'com'}) for Acme;\n${INDENT}set up Globex's in its "Your PingOne" panel`;

console.log(`
  pingone-connect demo

  Open the sample app:  ${demo.appUrl}

  server               ${demo.serverUrl}
  dashboard            ${demo.dashboardUrl}
${INDENT}sign in as "admin" / "${demo.keys.dashboardPassword}" (generated for this run)
  identity provider    ${where}
  keys                 generated for this run; the database is deleted when it ends
  ${verbose ? 'server log           below, one JSON line per event' : 'server log           pnpm demo --verbose'}

  Ctrl-C stops everything.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\n  stopping…');
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
