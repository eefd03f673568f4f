#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config.js';
import { serve } from './node.js';

const USAGE = `Usage: pingone-connect-server [--dev]

Runs the pingone-connect server. Configuration comes from environment variables
(see the package README); CONFIG_FILE may add integrations, and POST /integrations
adds them while the server runs, so none has to be configured.

  --dev     generate SECRET_KEYS, SESSION_SIGNING_KEY and ENCRYPTION_KEYS when they are
            missing and print them (refused when NODE_ENV=production)
  --help    show this text

Exit codes: 0 after a graceful shutdown, 1 when the server cannot start, 2 for bad configuration.`;

type Environment = Record<string, string | undefined>;

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

async function main(argv: readonly string[], environment: Environment): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--dev');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument: ${unknown.join(' ')}\n\n${USAGE}\n`);
    return 2;
  }
  let env = environment;
  if (argv.includes('--dev')) {
    if (env.NODE_ENV === 'production') {
      process.stderr.write('--dev generates keys and is refused when NODE_ENV=production.\n');
      return 2;
    }
    const dev = withDevelopmentKeys(env);
    env = dev.env;
    if (dev.generated.length > 0) {
      process.stderr.write(
        `Development keys generated for this run (set them to keep connections readable across restarts):\n${dev.generated.map((line) => `  ${line}`).join('\n')}\n`,
      );
    }
  }

  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  try {
    const server = await serve(config);
    process.stderr.write(
      `pingone-connect-server listening on ${server.url} (public URL ${config.publicUrl})\n`,
    );
    await server.closed;
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pingone-connect-server could not start: ${reason}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
