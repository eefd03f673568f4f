import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT } from './defaults.js';
import type { EmulatorOptions, TokenEndpointAuthMethod } from './types.js';

/** The CLI's default port: fixed, so that the printed server settings stay valid across runs. */
export const DEFAULT_CLI_PORT = 8787;

export const USAGE = `Usage: pingone-emulator [options]

A local PingOne-shaped OpenID Provider and Management API slice — an emulator, not PingOne.

Options (each also read from the environment variable shown):
  --port <n>                 PINGONE_EMULATOR_PORT            default ${DEFAULT_CLI_PORT}; 0 picks a free port
  --environment-id <uuid>    PINGONE_EMULATOR_ENVIRONMENT_ID  default a fixed demo id
  --client-id <id>           PINGONE_EMULATOR_CLIENT_ID       default the demo client
  --client-secret <secret>   PINGONE_EMULATOR_CLIENT_SECRET   default the demo secret
  --redirect-uri <url>       PINGONE_EMULATOR_REDIRECT_URIS   repeatable (comma list in the variable);
                                                              default ${DEFAULT_CLIENT.redirectUris[0]}
  --token-auth-method <m>    PINGONE_EMULATOR_TOKEN_AUTH_METHOD  client_secret_post (default) or client_secret_basic
  --refresh-token-grace-period <s>
                             PINGONE_EMULATOR_REFRESH_TOKEN_GRACE_PERIOD  default 0 (none); seconds, 0-86400,
                                                              in which a used refresh token works once more
                                                              (PingOne's refreshTokenRollingGracePeriodDuration)
  --auto-approve             PINGONE_EMULATOR_AUTO_APPROVE=true  test use only: login_hint signs on and
                                                              consents without pages
  --help                     print this text
`;

/** A bad command line or environment; the CLI prints it with the usage and exits with status 2. */
export class UsageError extends Error {
  readonly code = 'usage';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

function portNumber(value: string, name: string): number {
  if (!/^\d{1,5}$/.test(value)) {
    throw new UsageError(`${name} must be a port number, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Checked for form only; startEmulator refuses a value out of range. */
function wholeSeconds(value: string, name: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw new UsageError(`${name} must be a whole number of seconds, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new UsageError(`${name} must be true or false`);
}

/**
 * Reads the CLI's options: flags first, then `PINGONE_EMULATOR_*` variables, then defaults.
 * Values are checked for form here and for meaning by `startEmulator` (which throws TypeError).
 *
 * @returns the emulator options, or `'help'` when `--help` was asked for
 */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'environment-id': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'token-auth-method': { type: 'string' },
        'refresh-token-grace-period': { type: 'string' },
        'auto-approve': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
  if (values.help) return 'help';

  const port = values.port ?? env.PINGONE_EMULATOR_PORT;
  const gracePeriod =
    values['refresh-token-grace-period'] ?? env.PINGONE_EMULATOR_REFRESH_TOKEN_GRACE_PERIOD;
  const redirectUris =
    values['redirect-uri'] ??
    env.PINGONE_EMULATOR_REDIRECT_URIS?.split(',')
      .map((uri) => uri.trim())
      .filter(Boolean);
  return {
    port: port === undefined ? DEFAULT_CLI_PORT : portNumber(port, '--port'),
    environmentId: values['environment-id'] ?? env.PINGONE_EMULATOR_ENVIRONMENT_ID,
    clients: [
      {
        clientId: values['client-id'] ?? env.PINGONE_EMULATOR_CLIENT_ID ?? DEFAULT_CLIENT.clientId,
        clientSecret:
          values['client-secret'] ??
          env.PINGONE_EMULATOR_CLIENT_SECRET ??
          DEFAULT_CLIENT.clientSecret,
        redirectUris: redirectUris?.length ? redirectUris : [...DEFAULT_CLIENT.redirectUris],
        tokenEndpointAuthMethod: (values['token-auth-method'] ??
          env.PINGONE_EMULATOR_TOKEN_AUTH_METHOD ??
          DEFAULT_CLIENT.tokenEndpointAuthMethod) as TokenEndpointAuthMethod,
        ...(gracePeriod === undefined
          ? {}
          : {
              refreshTokenRollingGracePeriodDuration: wholeSeconds(
                gracePeriod,
                '--refresh-token-grace-period',
              ),
            }),
      },
    ],
    autoApprove:
      values['auto-approve'] ??
      flag(env.PINGONE_EMULATOR_AUTO_APPROVE, 'PINGONE_EMULATOR_AUTO_APPROVE'),
  };
}
