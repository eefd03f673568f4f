import { randomBytes } from 'node:crypto';
import { SIGNING_ALGS, generateSigningKey, type SigningAlg } from '../crypto/signing-key.js';
import { EXIT, wantsHelp, type Command, type ExitCode, type Output } from './io.js';

export const KEYS_USAGE = `Usage: pingone-connect-server keys generate
       pingone-connect-server keys generate-jwk [--alg ${SIGNING_ALGS.join('|')}]
       pingone-connect-server generate-key [--alg ...]   (the older name of keys generate-jwk)

keys generate prints a complete .env block of fresh random keys, with comments: SECRET_KEYS,
SESSION_SIGNING_KEY, ENCRYPTION_KEYS, METRICS_TOKEN, DASHBOARD_PASSWORD, and WEBHOOK_SECRET
(commented out until WEBHOOK_URL is set). Nothing is stored; keep the output secret.

keys generate-jwk makes an RSA key pair for the private_key_jwt token auth method and prints
the private JWK (PINGONE_PRIVATE_KEY_JWK, or private_key_jwk of POST /integrations; keep it
secret) and the public JWKS to paste into the PingOne application's JWKS.

Exit codes: 0 printed, 2 for a bad argument.`;

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** `keys generate`: every key the server takes, as `.env` lines an operator can paste. */
function envBlock(now: Date): string {
  return [
    `# pingone-connect keys, generated ${now.toISOString()}. Keep them secret: anyone with`,
    '# them can read the stored credentials or act as your backend.',
    '',
    '# Backend secret keys, comma-separated: the first is current, the others still accepted.',
    '# Rotate by putting a new key first, then removing the old one once no backend sends it.',
    `SECRET_KEYS=sk_${random(32)}`,
    '',
    '# Signs connect session tokens (HS256). Changing it ends the sessions in flight.',
    `SESSION_SIGNING_KEY=${random(32)}`,
    '',
    '# Encrypts credentials at rest, comma-separated: the first encrypts, all decrypt. Rotate by',
    '# putting a new key first, restarting, running rotate-encryption-key, then removing the old.',
    `ENCRYPTION_KEYS=${random(32)}`,
    '',
    '# Bearer token of GET /metrics (Prometheus); unset turns /metrics off.',
    `METRICS_TOKEN=${random(32)}`,
    '',
    '# Sign-in password of /dashboard; unset turns the dashboard off.',
    `DASHBOARD_PASSWORD=${random(24)}`,
    '',
    '# Webhooks (Standard Webhooks signatures): set WEBHOOK_URL and uncomment both lines.',
    '# WEBHOOK_URL=https://backend.example.com/webhooks/pingone-connect',
    `# WEBHOOK_SECRET=whsec_${randomBytes(32).toString('base64')}`,
    '',
  ].join('\n');
}

/** `keys generate-jwk`: a signing key pair, printed as the server and PingOne each take it. */
function generateJwk(args: readonly string[], out: Output): ExitCode {
  const [flag, value, ...rest] = args;
  const alg = flag === undefined ? 'RS256' : flag === '--alg' ? value : undefined;
  if (rest.length > 0 || !(SIGNING_ALGS as readonly (string | undefined)[]).includes(alg)) {
    out.stderr.write(`generate-jwk takes only --alg ${SIGNING_ALGS.join('|')}\n\n${KEYS_USAGE}\n`);
    return EXIT.usage;
  }
  const key = generateSigningKey(alg as SigningAlg);
  out.stdout.write(
    [
      '# Private JWK for the server (PINGONE_PRIVATE_KEY_JWK or private_key_jwk); keep it secret:',
      JSON.stringify(key.privateJwk),
      '# Public JWKS for the PingOne application (Configuration tab, JWKS):',
      JSON.stringify({ keys: [key.publicJwk] }),
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** `keys <generate|generate-jwk>`. */
export const keysCommand: Command = async (args, _env, out) => {
  if (wantsHelp(args)) {
    out.stdout.write(`${KEYS_USAGE}\n`);
    return EXIT.ok;
  }
  const [sub, ...rest] = args;
  if (sub === 'generate' && rest.length === 0) {
    out.stdout.write(envBlock(new Date()));
    return EXIT.ok;
  }
  if (sub === 'generate-jwk') return generateJwk(rest, out);
  out.stderr.write(`Unknown keys command: ${args.join(' ') || '(none)'}\n\n${KEYS_USAGE}\n`);
  return EXIT.usage;
};

/** `generate-key`: the older name of `keys generate-jwk`, kept so that scripts keep working. */
export const generateKeyCommand: Command = async (args, env, out) =>
  keysCommand(wantsHelp(args) ? args : ['generate-jwk', ...args], env, out);
