import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT, DEFAULT_ENVIRONMENT_ID, DEFAULT_USER } from './defaults.js';
import { derivedUuid } from './derived-uuid.js';
import type {
  ApplicationType,
  EmulatorClient,
  EmulatorEnvironmentOptions,
  EmulatorJwks,
  EmulatorOptions,
  EmulatorUser,
  PingOneRole,
  PkceEnforcement,
  TokenEndpointAuthMethod,
} from './types.js';

/** The CLI's default port: fixed, so that the printed server settings stay valid across runs. */
export const DEFAULT_CLI_PORT = 8787;

/** A bound for `--environments`: each one is a provider with its own key, made at start. */
const MAX_CLI_ENVIRONMENTS = 100;

export const USAGE = `Usage: pingone-emulator [options]

A local PingOne-shaped OpenID Provider and Management API slice — an emulator, not PingOne.

Options (each also read from the environment variable shown):
  --port <n>                 PINGONE_EMULATOR_PORT            default ${DEFAULT_CLI_PORT}; 0 picks a free port
  --environment-id <uuid>    PINGONE_EMULATOR_ENVIRONMENT_ID  default a fixed demo id

Several environments (each another customer's PingOne, with its own issuer, client and users):
  --environment <uuid>       PINGONE_EMULATOR_ENVIRONMENTS    repeatable (comma list in the variable):
                                                              these environments, not --environment-id
  --environments <n>         PINGONE_EMULATOR_ENVIRONMENT_COUNT  1-${MAX_CLI_ENVIRONMENTS} environments: --environment-id's
                                                              (or the demo id) and n-1 with fixed generated ids
  Each gets the client below, with the same redirect URIs; after the first, its client id is
  derived from the environment id, its secret has "-2", "-3"… appended, and its users' ids differ.

The client (a PingOne OIDC application; one in each environment):
  --client-id <id>           PINGONE_EMULATOR_CLIENT_ID       default the demo client
  --client-secret <secret>   PINGONE_EMULATOR_CLIENT_SECRET   default the demo secret
  --redirect-uri <url>       PINGONE_EMULATOR_REDIRECT_URIS   repeatable (comma list in the variable);
                                                              default ${DEFAULT_CLIENT.redirectUris[0]}
  --application-type <t>     PINGONE_EMULATOR_APPLICATION_TYPE  WEB_APP (default) or WORKER (admin roles)
  --token-auth-method <m>    PINGONE_EMULATOR_TOKEN_AUTH_METHOD  client_secret_post (default),
                                                              client_secret_basic, client_secret_jwt
                                                              or private_key_jwt (needs --jwks)
  --jwks <json>              PINGONE_EMULATOR_JWKS            the private_key_jwt client's public JWK Set
  --pkce-enforcement <e>     PINGONE_EMULATOR_PKCE_ENFORCEMENT  OPTIONAL (default), REQUIRED, S256_REQUIRED
  --refresh-token-duration <s>
                             PINGONE_EMULATOR_REFRESH_TOKEN_DURATION  default 2592000 (30 days)
  --refresh-token-rolling-duration <s>
                             PINGONE_EMULATOR_REFRESH_TOKEN_ROLLING_DURATION  default 15552000 (180 days)
  --refresh-token-grace-period <s>
                             PINGONE_EMULATOR_REFRESH_TOKEN_GRACE_PERIOD  default 0 (none); seconds, 0-86400,
                                                              in which a used refresh token works once more
                                                              (PingOne's refreshTokenRollingGracePeriodDuration)
  --skip-token-session-validation
                             PINGONE_EMULATOR_SKIP_TOKEN_SESSION_VALIDATION=true  tokens outlive the sign-on session
  --post-logout-redirect-uri <url>
                             PINGONE_EMULATOR_POST_LOGOUT_REDIRECT_URIS  repeatable (comma list); default none

Users and sessions:
  --user-role <role>         PINGONE_EMULATOR_USER_ROLES      repeatable (comma list): the demo user's admin
                                                              roles in the environment, default
                                                              "Environment Admin"; "none" for none
  --sign-on-session-ttl <s>  PINGONE_EMULATOR_SIGN_ON_SESSION_TTL  default 2592000 (30 days)
  --extra-environments <n>   PINGONE_EMULATOR_EXTRA_ENVIRONMENTS  generated environments, default 0
  --extra-users <n>          PINGONE_EMULATOR_EXTRA_USERS     generated users user-1…, default 0
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
function wholeNumber(value: string, name: string, unit = 'seconds'): number {
  if (!/^\d{1,10}$/.test(value)) {
    throw new UsageError(`${name} must be a whole number of ${unit}, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new UsageError(`${name} must be true or false`);
}

function commaList(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function jwks(value: string, name: string): EmulatorJwks {
  try {
    return JSON.parse(value) as EmulatorJwks;
  } catch (cause) {
    throw new UsageError(`${name} must be a JSON Web Key Set`, { cause });
  }
}

/** An optional number: the flag, else the variable, else absent. */
function optionalNumber(
  flagValue: string | undefined,
  envValue: string | undefined,
  name: string,
  unit?: string,
): number | undefined {
  const value = flagValue ?? envValue;
  return value === undefined ? undefined : wholeNumber(value, name, unit);
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
        environment: { type: 'string', multiple: true },
        environments: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'application-type': { type: 'string' },
        'token-auth-method': { type: 'string' },
        jwks: { type: 'string' },
        'pkce-enforcement': { type: 'string' },
        'refresh-token-duration': { type: 'string' },
        'refresh-token-rolling-duration': { type: 'string' },
        'refresh-token-grace-period': { type: 'string' },
        'skip-token-session-validation': { type: 'boolean' },
        'post-logout-redirect-uri': { type: 'string', multiple: true },
        'user-role': { type: 'string', multiple: true },
        'sign-on-session-ttl': { type: 'string' },
        'extra-environments': { type: 'string' },
        'extra-users': { type: 'string' },
        'auto-approve': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
  if (values.help) return 'help';

  const port = values.port ?? env.PINGONE_EMULATOR_PORT;
  const redirectUris = values['redirect-uri'] ?? commaList(env.PINGONE_EMULATOR_REDIRECT_URIS);
  const postLogoutRedirectUris =
    values['post-logout-redirect-uri'] ?? commaList(env.PINGONE_EMULATOR_POST_LOGOUT_REDIRECT_URIS);
  const jwksValue = values.jwks ?? env.PINGONE_EMULATOR_JWKS;
  const applicationType = values['application-type'] ?? env.PINGONE_EMULATOR_APPLICATION_TYPE;
  const pkceEnforcement = values['pkce-enforcement'] ?? env.PINGONE_EMULATOR_PKCE_ENFORCEMENT;
  const grace = optionalNumber(
    values['refresh-token-grace-period'],
    env.PINGONE_EMULATOR_REFRESH_TOKEN_GRACE_PERIOD,
    '--refresh-token-grace-period',
  );
  const duration = optionalNumber(
    values['refresh-token-duration'],
    env.PINGONE_EMULATOR_REFRESH_TOKEN_DURATION,
    '--refresh-token-duration',
  );
  const rolling = optionalNumber(
    values['refresh-token-rolling-duration'],
    env.PINGONE_EMULATOR_REFRESH_TOKEN_ROLLING_DURATION,
    '--refresh-token-rolling-duration',
  );
  const skip =
    values['skip-token-session-validation'] ??
    flag(
      env.PINGONE_EMULATOR_SKIP_TOKEN_SESSION_VALIDATION,
      'PINGONE_EMULATOR_SKIP_TOKEN_SESSION_VALIDATION',
    );

  const client: EmulatorClient = {
    clientId: values['client-id'] ?? env.PINGONE_EMULATOR_CLIENT_ID ?? DEFAULT_CLIENT.clientId,
    clientSecret:
      values['client-secret'] ?? env.PINGONE_EMULATOR_CLIENT_SECRET ?? DEFAULT_CLIENT.clientSecret,
    redirectUris: redirectUris?.length ? redirectUris : [...DEFAULT_CLIENT.redirectUris],
    tokenEndpointAuthMethod: (values['token-auth-method'] ??
      env.PINGONE_EMULATOR_TOKEN_AUTH_METHOD ??
      DEFAULT_CLIENT.tokenEndpointAuthMethod) as TokenEndpointAuthMethod,
    ...(applicationType !== undefined && { applicationType: applicationType as ApplicationType }),
    ...(jwksValue !== undefined && { jwks: jwks(jwksValue, '--jwks') }),
    ...(pkceEnforcement !== undefined && {
      pkceEnforcement: pkceEnforcement as PkceEnforcement,
    }),
    ...(duration !== undefined && { refreshTokenDuration: duration }),
    ...(rolling !== undefined && { refreshTokenRollingDuration: rolling }),
    ...(grace !== undefined && { refreshTokenRollingGracePeriodDuration: grace }),
    ...(skip && { skipTokenSessionValidation: true }),
    ...(postLogoutRedirectUris && { postLogoutRedirectUris }),
  };

  const roles = values['user-role'] ?? commaList(env.PINGONE_EMULATOR_USER_ROLES);
  const users = roles && [
    {
      ...DEFAULT_USER,
      roleAssignments: roles
        .filter((role) => role !== 'none')
        .map((role) => ({ role: role as PingOneRole })),
    },
  ];
  const ttl = optionalNumber(
    values['sign-on-session-ttl'],
    env.PINGONE_EMULATOR_SIGN_ON_SESSION_TTL,
    '--sign-on-session-ttl',
  );
  const extraEnvironments = optionalNumber(
    values['extra-environments'],
    env.PINGONE_EMULATOR_EXTRA_ENVIRONMENTS,
    '--extra-environments',
    'environments',
  );
  const extraUsers = optionalNumber(
    values['extra-users'],
    env.PINGONE_EMULATOR_EXTRA_USERS,
    '--extra-users',
    'users',
  );

  const environmentId = values['environment-id'] ?? env.PINGONE_EMULATOR_ENVIRONMENT_ID;
  const environmentIds = values.environment ?? commaList(env.PINGONE_EMULATOR_ENVIRONMENTS);
  const environmentCount = optionalNumber(
    values.environments,
    env.PINGONE_EMULATOR_ENVIRONMENT_COUNT,
    '--environments',
    'environments',
  );
  const shared: EmulatorOptions = {
    port: port === undefined ? DEFAULT_CLI_PORT : portNumber(port, '--port'),
    ...(ttl !== undefined && { signOnSessionTtl: ttl }),
    ...(extraEnvironments !== undefined && { extraEnvironments }),
    autoApprove:
      values['auto-approve'] ??
      flag(env.PINGONE_EMULATOR_AUTO_APPROVE, 'PINGONE_EMULATOR_AUTO_APPROVE'),
  };
  if (environmentIds === undefined && environmentCount === undefined) {
    return {
      ...shared,
      environmentId,
      clients: [client],
      ...(users && { users }),
      ...(extraUsers !== undefined && { extraUsers }),
    };
  }

  const ids = environmentList(environmentIds, environmentCount, environmentId);
  return {
    ...shared,
    environments: ids.map((id, i) => tenant(id, i, client, users ?? [DEFAULT_USER], extraUsers)),
  };
}

/** The ids of `--environment` (given) or `--environments` (generated after the first). */
function environmentList(
  given: string[] | undefined,
  count: number | undefined,
  first: string | undefined,
): string[] {
  if (given !== undefined && count !== undefined) {
    throw new UsageError('give either --environment or --environments, not both');
  }
  if (given !== undefined) {
    if (first !== undefined) {
      throw new UsageError('--environment lists every environment: drop --environment-id');
    }
    return given;
  }
  if (count === undefined || count < 1 || count > MAX_CLI_ENVIRONMENTS) {
    throw new UsageError(`--environments must be from 1 to ${MAX_CLI_ENVIRONMENTS}`);
  }
  const start = (first ?? DEFAULT_ENVIRONMENT_ID).toLowerCase();
  // Derived from the first id, so the printed settings stay valid from run to run.
  return [
    start,
    ...Array.from({ length: count - 1 }, (_, i) => derivedUuid(`${start} tenant ${i + 2}`)),
  ];
}

/**
 * The `index`th environment of the CLI: the client and users of the flags, made distinct after the
 * first so that nothing of one tenant is mistaken for another's (PingOne's application and user
 * ids are unique across environments).
 */
function tenant(
  id: string,
  index: number,
  client: EmulatorClient,
  users: EmulatorUser[],
  extraUsers: number | undefined,
): EmulatorEnvironmentOptions {
  const own = id.toLowerCase();
  return {
    id,
    clients: [
      index === 0
        ? client
        : {
            ...client,
            clientId: derivedUuid(`${own} client`),
            clientSecret: `${client.clientSecret}-${index + 1}`,
          },
    ],
    users:
      index === 0
        ? users
        : users.map((u) => ({ ...u, id: derivedUuid(`${own} user ${u.username}`) })),
    ...(extraUsers !== undefined && { extraUsers }),
  };
}
