import { randomBytes } from 'node:crypto';
import { serve } from '../node.js';
import { EXIT, type Command, type Environment } from './io.js';
import { configOrReport, reasonOf } from './load-config.js';

export const SERVE_USAGE = `Usage: pingone-connect-server [--dev]

Runs the server. Configuration comes from environment variables (see the package README);
CONFIG_FILE may add integrations, and POST /integrations adds them while the server runs, so
none has to be configured. Migrations run at start-up.

  --dev     generate SECRET_KEYS, SESSION_SIGNING_KEY and ENCRYPTION_KEYS when they are
            missing and print them (refused when NODE_ENV=production)

Exit codes: 0 after a graceful shutdown (SIGTERM, SIGINT), 1 when the server cannot start,
2 for a bad argument or configuration.`;

/** Keys for local development only: printed so that a restart can reuse them. */
function withDevelopmentKeys(env: Environment): { env: Environment; generated: string[] } {
  const key = () => randomBytes(32).toString('base64url');
  const defaults: Record<string, () => string> = {
    SECRET_KEYS: () => `sk_dev_${key()}`,
    SESSION_SIGNING_KEY: key,
    ENCRYPTION_KEYS: key,
  };
  const next = { ...env };
  const generated: string[] = [];
  for (const [name, make] of Object.entries(defaults)) {
    if (next[name]?.trim()) continue;
    next[name] = make();
    generated.push(`${name}=${next[name]}`);
  }
  return { env: next, generated };
}

/** The default command: the server, until a signal stops it. */
export const serveCommand: Command = async (args, environment, out) => {
  const unknown = args.filter((arg) => arg !== '--dev');
  if (unknown.length > 0) {
    out.stderr.write(`Unknown argument: ${unknown.join(' ')}\n\n${SERVE_USAGE}\n`);
    return EXIT.usage;
  }
  let env = environment;
  if (args.includes('--dev')) {
    if (env.NODE_ENV === 'production') {
      out.stderr.write('--dev generates keys and is refused when NODE_ENV=production.\n');
      return EXIT.usage;
    }
    const dev = withDevelopmentKeys(env);
    env = dev.env;
    if (dev.generated.length > 0) {
      out.stderr.write(
        `Development keys generated for this run (set them to keep connections readable across restarts):\n${dev.generated.map((line) => `  ${line}`).join('\n')}\n`,
      );
    }
  }
  const config = configOrReport(env, out);
  if (!config) return EXIT.usage;
  try {
    const server = await serve(config);
    out.stderr.write(
      `pingone-connect-server listening on ${server.url} (public URL ${config.publicUrl})\n`,
    );
    await server.closed;
    return EXIT.ok;
  } catch (error) {
    out.stderr.write(`pingone-connect-server could not start: ${reasonOf(error)}\n`);
    return EXIT.failed;
  }
};
