#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config.js';
import { SIGNING_ALGS, generateSigningKey, type SigningAlg } from './crypto/signing-key.js';
import { serve } from './node.js';

const USAGE = `Usage: pingone-connect-server [--dev]
       pingone-connect-server generate-key [--alg RS256|RS384|RS512]

Runs the pingone-connect server. Configuration comes from environment variables
(see the package README); CONFIG_FILE may add integrations, and POST /integrations
adds them while the server runs, so none has to be configured.

  --dev     generate SECRET_KEYS, SESSION_SIGNING_KEY and ENCRYPTION_KEYS when they are
            missing and print them (refused when NODE_ENV=production)
  --help    show this text

generate-key makes an RSA key pair for the private_key_jwt token auth method and prints
the private JWK (PINGONE_PRIVATE_KEY_JWK, or private_key_jwk of POST /integrations; keep
it secret) and the public JWKS to paste into the PingOne application's JWKS.

Exit codes: 0 after a graceful shutdown, 1 when the server cannot start, 2 for bad configuration.`;

type Environment = Record<string, string | undefined>;

/** `generate-key`: a signing key pair, printed as the server and PingOne each take it. */
function generateKey(args: readonly string[]): number {
  const [flag, value, ...rest] = args;
  const alg = flag === undefined ? 'RS256' : flag === '--alg' ? value : undefined;
  if (rest.length > 0 || !(SIGNING_ALGS as readonly (string | undefined)[]).includes(alg)) {
    process.stderr.write(`generate-key takes only --alg ${SIGNING_ALGS.join('|')}\n\n${USAGE}\n`);
    return 2;
  }
  const key = generateSigningKey(alg as SigningAlg);
  process.stdout.write(
    [
      '# Private JWK for the server (PINGONE_PRIVATE_KEY_JWK or private_key_jwk); keep it secret:',
      JSON.stringify(key.privateJwk),
      '# Public JWKS for the PingOne application (Configuration tab, JWKS):',
      JSON.stringify({ keys: [key.publicJwk] }),
      '',
    ].join('\n'),
  );
  return 0;
}

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
  if (argv[0] === 'generate-key') return generateKey(argv.slice(1));
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
