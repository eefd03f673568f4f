import { openStore } from '../store/open.js';
import { EXIT, wantsHelp, type Command } from './io.js';
import { configOrReport, reasonOf } from './load-config.js';

export const MIGRATE_USAGE = `Usage: pingone-connect-server migrate

Brings the database schema of DATABASE_URL up to date and exits, e.g. as a deploy step before
the servers start (they migrate at start-up too; several at once is safe). Reads the same
environment as the server.

Exit codes: 0 migrated (or already current), 1 a migration failed or the database cannot be
reached, 2 for a bad argument or configuration.`;

/** `migrate`: the migrations the server runs at start-up, and nothing else. */
export const migrateCommand: Command = async (args, env, out) => {
  if (wantsHelp(args)) {
    out.stdout.write(`${MIGRATE_USAGE}\n`);
    return EXIT.ok;
  }
  if (args.length > 0) {
    out.stderr.write(`Unknown argument: ${args.join(' ')}\n\n${MIGRATE_USAGE}\n`);
    return EXIT.usage;
  }
  const config = configOrReport(env, out);
  if (!config) return EXIT.usage;
  try {
    const store = await openStore(config.databaseUrl);
    await store.close();
    out.stderr.write(`The ${store.dialect} schema is up to date.\n`);
    return EXIT.ok;
  } catch (error) {
    out.stderr.write(`migrate failed: ${reasonOf(error)}\n`);
    return EXIT.failed;
  }
};
