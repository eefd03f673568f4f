import {
  DEFAULT_CLIENT,
  DEFAULT_CUSTOM_RESOURCE,
  DEFAULT_ENVIRONMENT_ID,
  DEFAULT_USER,
  OIDC_SCOPES,
  ORGANIZATION_ID,
} from './defaults.js';
import { derivedUuid } from './derived-uuid.js';
import { createFaults } from './faults.js';
import { DEFAULT_SIGN_ON_SESSION_TTL } from './sign-on-sessions.js';
import type {
  ApplicationType,
  EmulatorClient,
  EmulatorEnvironmentOptions,
  EmulatorRoleAssignment,
  PingOneRole,
  EmulatorLiveFaults,
  EmulatorOptions,
  EmulatorResource,
  EmulatorJwks,
  EmulatorUser,
  PkceEnforcement,
  TokenEndpointAuthMethod,
} from './types.js';

/**
 * A client after checking. The grace period stays absent when it was not given, as PingOne leaves
 * the property null, which it treats as 0.
 */
export type ResolvedClient = Required<
  Omit<EmulatorClient, 'refreshTokenRollingGracePeriodDuration' | 'jwks'>
> &
  Pick<EmulatorClient, 'refreshTokenRollingGracePeriodDuration' | 'jwks'>;

/** PingOne's defaults and bounds for the refresh token lifetimes, in seconds. */
const DEFAULT_ROLLING_DURATION = 15_552_000;
const MIN_REFRESH_DURATION = 60;
const MAX_REFRESH_DURATION = 2_147_483_647;

/** One environment after checking: its id lower-case, its lists copied and filled in. */
export interface ResolvedEnvironment {
  id: string;
  /** The `org` claim: the first environment's is ORGANIZATION_ID, each other's its own. */
  organizationId: string;
  clients: ResolvedClient[];
  users: ResolvedUser[];
  customResources: EmulatorResource[];
}

/** Options after checking, with every default filled in and every list copied. */
export interface ResolvedOptions {
  port: number;
  /** At least one; the first is the one the emulator's own fields describe. */
  environments: [ResolvedEnvironment, ...ResolvedEnvironment[]];
  tokenTtl: { accessToken: number; idToken: number; refreshToken: number };
  signOnSessionTtl: number;
  /** The generated environments of `extraEnvironments`. */
  extraEnvironments: { id: string; name: string }[];
  faults: EmulatorLiveFaults;
  autoApprove: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_post',
  'client_secret_basic',
  'client_secret_jwt',
  'private_key_jwt',
];
const APPLICATION_TYPES: readonly ApplicationType[] = ['WEB_APP', 'WORKER'];
/** PingOne's built-in admin roles (Built-in Admin Roles page). */
const ROLES: readonly PingOneRole[] = [
  'Organization Admin',
  'Environment Admin',
  'Identity Data Admin',
  'Identity Data Read-Only Admin',
  'Client Application Developer',
  'Configuration Read-Only Admin',
  'Application Owner',
  'Custom Role Admin',
  'Help Desk Admin',
  'DaVinci Admin',
  'DaVinci Read-Only Admin',
];
const PKCE_ENFORCEMENTS: readonly PkceEnforcement[] = ['OPTIONAL', 'REQUIRED', 'S256_REQUIRED'];
/** The signing algorithms PingOne takes for a private_key_jwt assertion (create-a-private-key-jwt). */
const PRIVATE_KEY_ALGS = new Set(['RS256', 'RS384', 'RS512']);
/** Printable ASCII without spaces: what may appear in a form field or a Basic credential. */
const TOKEN = /^[\x21-\x7e]+$/;
/** PingOne's bounds for `refreshTokenRollingGracePeriodDuration`, in seconds (one day at most). */
const MAX_GRACE_PERIOD = 86_400;

function fail(message: string): never {
  throw new TypeError(`startEmulator: ${message}`);
}

function nonEmptyArray<T>(value: T[] | undefined, name: string): T[] {
  if (!Array.isArray(value) || value.length === 0) fail(`${name} must be a non-empty array`);
  return value;
}

function text(value: unknown, name: string, pattern?: RegExp, form = 'a valid value'): string {
  if (typeof value !== 'string' || value.length === 0) fail(`${name} must be a non-empty string`);
  if (pattern && !pattern.test(value)) fail(`${name} must be ${form}`);
  return value;
}

function unique(values: string[], name: string): void {
  if (new Set(values).size !== values.length) fail(`${name} must be unique`);
}

function redirectUri(value: unknown, name: string): string {
  const url = URL.parse(text(value, name));
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash !== '') {
    fail(`${name} must be an absolute http(s) URL without a fragment`);
  }
  return value as string;
}

function gracePeriod(
  value: unknown,
  name: string,
): { refreshTokenRollingGracePeriodDuration?: number } {
  if (value === undefined) return {};
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_GRACE_PERIOD) {
    fail(`${name} must be a whole number of seconds from 0 to ${MAX_GRACE_PERIOD}`);
  }
  return { refreshTokenRollingGracePeriodDuration: value as number };
}

function list<T>(value: T[] | undefined, name: string): T[] {
  if (value !== undefined && !Array.isArray(value)) fail(`${name} must be an array`);
  return value ?? [];
}

function flag(value: unknown, name: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') fail(`${name} must be a boolean`);
  return value ?? false;
}

function refreshDuration(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (
    !Number.isInteger(value) ||
    (value as number) < MIN_REFRESH_DURATION ||
    (value as number) > MAX_REFRESH_DURATION
  ) {
    fail(
      `${name} must be a whole number of seconds from ${MIN_REFRESH_DURATION} to ${MAX_REFRESH_DURATION}`,
    );
  }
  return value as number;
}

/**
 * PingOne's `refreshTokenDuration` and `refreshTokenRollingDuration` ("If the
 * refresh_token_rolling_duration property is specified for the application, then this property
 * value must be less than or equal to the value of refresh_token_rolling_duration"):
 * https://github.com/pingidentity/terraform-provider-pingone/blob/main/docs/resources/application.md
 */
function refreshDurations(
  client: EmulatorClient,
  name: string,
  defaultDuration: number,
): { refreshTokenDuration: number; refreshTokenRollingDuration: number } {
  const refreshTokenDuration = refreshDuration(
    client.refreshTokenDuration,
    defaultDuration,
    `${name}.refreshTokenDuration`,
  );
  const refreshTokenRollingDuration = refreshDuration(
    client.refreshTokenRollingDuration,
    DEFAULT_ROLLING_DURATION,
    `${name}.refreshTokenRollingDuration`,
  );
  if (
    client.refreshTokenRollingDuration !== undefined &&
    refreshTokenDuration > refreshTokenRollingDuration
  ) {
    fail(`${name}.refreshTokenDuration must not exceed ${name}.refreshTokenRollingDuration`);
  }
  return { refreshTokenDuration, refreshTokenRollingDuration };
}

/** The public RSA keys of a private_key_jwt client, copied. */
function publicKeys(value: unknown, name: string): EmulatorJwks {
  const keys = (value as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    fail(`${name} must be a JWK Set with at least one key`);
  }
  return {
    keys: keys.map((key: unknown, i) => {
      const jwk = key as Record<string, unknown> | null;
      if (jwk === null || typeof jwk !== 'object' || jwk.kty !== 'RSA') {
        fail(`${name}.keys[${i}] must be an RSA JWK`);
      }
      if ('d' in jwk) fail(`${name}.keys[${i}] must be a public key`);
      if (jwk.alg !== undefined && !PRIVATE_KEY_ALGS.has(String(jwk.alg))) {
        fail(`${name}.keys[${i}].alg must be one of ${[...PRIVATE_KEY_ALGS].join(', ')}`);
      }
      return { ...jwk };
    }),
  };
}

function resolveClient(
  client: EmulatorClient,
  name: string,
  defaultRefreshDuration: number,
): ResolvedClient {
  const method = client.tokenEndpointAuthMethod ?? 'client_secret_post';
  if (!AUTH_METHODS.includes(method)) {
    fail(`${name}.tokenEndpointAuthMethod must be one of ${AUTH_METHODS.join(', ')}`);
  }
  if (method === 'private_key_jwt' && client.jwks === undefined) {
    fail(`${name}.jwks is required with private_key_jwt`);
  }
  if (method !== 'private_key_jwt' && client.jwks !== undefined) {
    fail(`${name}.jwks is only for private_key_jwt`);
  }
  const applicationType = client.applicationType ?? 'WEB_APP';
  if (!APPLICATION_TYPES.includes(applicationType)) {
    fail(`${name}.applicationType must be one of ${APPLICATION_TYPES.join(', ')}`);
  }
  const pkceEnforcement = client.pkceEnforcement ?? 'OPTIONAL';
  if (!PKCE_ENFORCEMENTS.includes(pkceEnforcement)) {
    fail(`${name}.pkceEnforcement must be one of ${PKCE_ENFORCEMENTS.join(', ')}`);
  }
  return {
    clientId: text(client.clientId, `${name}.clientId`, TOKEN, 'printable ASCII without spaces'),
    clientSecret: text(
      client.clientSecret,
      `${name}.clientSecret`,
      TOKEN,
      'printable ASCII without spaces',
    ),
    redirectUris: nonEmptyArray(client.redirectUris, `${name}.redirectUris`).map((uri, i) =>
      redirectUri(uri, `${name}.redirectUris[${i}]`),
    ),
    applicationType,
    tokenEndpointAuthMethod: method,
    ...(client.jwks !== undefined && { jwks: publicKeys(client.jwks, `${name}.jwks`) }),
    pkceEnforcement,
    ...gracePeriod(
      client.refreshTokenRollingGracePeriodDuration,
      `${name}.refreshTokenRollingGracePeriodDuration`,
    ),
    ...refreshDurations(client, name, defaultRefreshDuration),
    postLogoutRedirectUris: list(
      client.postLogoutRedirectUris,
      `${name}.postLogoutRedirectUris`,
    ).map((uri, i) => redirectUri(uri, `${name}.postLogoutRedirectUris[${i}]`)),
    skipTokenSessionValidation: flag(
      client.skipTokenSessionValidation,
      `${name}.skipTokenSessionValidation`,
    ),
  };
}

/** A role assignment after checking: its scope always explicit. */
export interface ResolvedRoleAssignment {
  role: PingOneRole;
  scope: { type: 'ORGANIZATION' } | { type: 'ENVIRONMENT'; id: string };
}

/** A user after checking, with every role assignment's scope filled in. */
export type ResolvedUser = EmulatorUser & { roleAssignments: ResolvedRoleAssignment[] };

function resolveRoleAssignment(
  value: EmulatorRoleAssignment,
  name: string,
  environmentId: string,
): ResolvedRoleAssignment {
  if (value === null || typeof value !== 'object') fail(`${name} must be an object`);
  if (!ROLES.includes(value.role)) fail(`${name}.role must be one of ${ROLES.join(', ')}`);
  const scope = value.scope ?? { type: 'ENVIRONMENT' };
  if (scope.type === 'ORGANIZATION') return { role: value.role, scope: { type: 'ORGANIZATION' } };
  if (scope.type !== 'ENVIRONMENT') fail(`${name}.scope.type must be ORGANIZATION or ENVIRONMENT`);
  const id = text(scope.id ?? environmentId, `${name}.scope.id`, UUID, 'a uuid').toLowerCase();
  return { role: value.role, scope: { type: 'ENVIRONMENT', id } };
}

function resolveUser(user: EmulatorUser, name: string, environmentId: string): ResolvedUser {
  return {
    roleAssignments: list(user.roleAssignments, `${name}.roleAssignments`).map((r, i) =>
      resolveRoleAssignment(r, `${name}.roleAssignments[${i}]`, environmentId),
    ),
    id: text(user.id, `${name}.id`, UUID, 'a uuid').toLowerCase(),
    username: text(user.username, `${name}.username`),
    password: text(user.password, `${name}.password`),
    email: text(user.email, `${name}.email`, /^[^@\s]+@[^@\s]+$/, 'an email address'),
    givenName: text(user.givenName, `${name}.givenName`),
    familyName: text(user.familyName, `${name}.familyName`),
  };
}

const MAX_EXTRA = 10_000;

function count(value: unknown, name: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_EXTRA) {
    fail(`${name} must be a whole number from 0 to ${MAX_EXTRA}`);
  }
  return value as number;
}

function generatedUser(n: number, environmentId: string): EmulatorUser {
  return {
    id: derivedUuid(`${environmentId} user ${n}`),
    username: `user-${n}`,
    password: `user-${n}-password`,
    email: `user-${n}@example.com`,
    givenName: 'User',
    familyName: String(n),
  };
}

function resolveResource(resource: EmulatorResource, name: string): EmulatorResource {
  if (!URL.canParse(text(resource.audience, `${name}.audience`))) {
    fail(`${name}.audience must be an absolute URI`);
  }
  const scopes = nonEmptyArray(resource.scopes, `${name}.scopes`).map((scope, i) => {
    const value = text(scope, `${name}.scopes[${i}]`, TOKEN, 'printable ASCII without spaces');
    // These belong to the two native resources and could not be told apart from them.
    if (value.startsWith('p1:') || (OIDC_SCOPES as readonly string[]).includes(value)) {
      fail(`${name}.scopes[${i}] is a PingOne or OpenID Connect scope`);
    }
    return value;
  });
  return { audience: resource.audience, scopes };
}

function seconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    fail(`${name} must be a positive whole number of seconds`);
  }
  return value;
}

/** The options that define one environment when `environments` is absent. */
const SINGLE_ENVIRONMENT_OPTIONS = [
  'environmentId',
  'clients',
  'users',
  'customResources',
  'extraUsers',
] as const;

/**
 * Checks one environment's part of the options. `prefix` names it in messages: empty for the
 * single-environment options, `environments[i].` otherwise.
 */
function resolveEnvironment(
  given: Omit<EmulatorEnvironmentOptions, 'clients'> & { clients?: EmulatorClient[] },
  prefix: string,
  defaultRefreshDuration: number,
): Omit<ResolvedEnvironment, 'organizationId'> {
  if (given === null || typeof given !== 'object') {
    fail(`${prefix.slice(0, -1) || 'environment'} must be an object`);
  }
  const id = text(given.id, `${prefix}${prefix ? 'id' : 'environmentId'}`, UUID).toLowerCase();
  const clients = nonEmptyArray(given.clients, `${prefix}clients`).map((client, i) =>
    resolveClient(client, `${prefix}clients[${i}]`, defaultRefreshDuration),
  );
  const extraUsers = count(given.extraUsers, `${prefix}extraUsers`);
  const users = [
    ...nonEmptyArray(given.users ?? [DEFAULT_USER], `${prefix}users`),
    ...Array.from({ length: extraUsers }, (_, i) => generatedUser(i + 1, id)),
  ].map((user, i) => resolveUser(user, `${prefix}users[${i}]`, id));
  unique(
    users.map((u) => u.id),
    `${prefix}user ids`,
  );
  unique(
    users.map((u) => u.username),
    `${prefix}usernames`,
  );
  const customResources = list(
    given.customResources ?? [DEFAULT_CUSTOM_RESOURCE],
    `${prefix}customResources`,
  ).map((resource, i) => resolveResource(resource, `${prefix}customResources[${i}]`));
  unique(
    customResources.map((r) => r.audience),
    `${prefix}custom resource audiences`,
  );
  unique(
    customResources.flatMap((r) => r.scopes),
    `${prefix}custom resource scopes`,
  );
  return { id, clients, users, customResources };
}

/** The environments of the options: the `environments` list, or the one the flat options define. */
function resolveEnvironments(
  options: EmulatorOptions,
  defaultRefreshDuration: number,
): [ResolvedEnvironment, ...ResolvedEnvironment[]] {
  let environments: Omit<ResolvedEnvironment, 'organizationId'>[];
  if (options.environments === undefined) {
    environments = [
      resolveEnvironment(
        {
          id: options.environmentId ?? DEFAULT_ENVIRONMENT_ID,
          clients: options.clients ?? [DEFAULT_CLIENT],
          ...(options.users !== undefined && { users: options.users }),
          ...(options.customResources !== undefined && {
            customResources: options.customResources,
          }),
          ...(options.extraUsers !== undefined && { extraUsers: options.extraUsers }),
        },
        '',
        defaultRefreshDuration,
      ),
    ];
  } else {
    const both = SINGLE_ENVIRONMENT_OPTIONS.filter((name) => options[name] !== undefined);
    if (both.length > 0) {
      fail(`environments cannot be combined with ${both.join(', ')}: give those per environment`);
    }
    environments = nonEmptyArray(options.environments, 'environments').map((environment, i) =>
      resolveEnvironment(environment, `environments[${i}].`, defaultRefreshDuration),
    );
  }
  unique(
    environments.map((e) => e.id),
    'environment ids',
  );
  // PingOne's application ids are uuids, unique across all of PingOne.
  unique(
    environments.flatMap((e) => e.clients.map((c) => c.clientId)),
    'client ids',
  );
  const [first, ...others] = environments.map((environment, i) => ({
    ...environment,
    organizationId: i === 0 ? ORGANIZATION_ID : derivedUuid(`${environment.id} organization`),
  }));
  return [first!, ...others];
}

/** Checks {@link EmulatorOptions} and fills in the defaults; throws `TypeError` on misuse. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options must be an object');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail('port must be an integer from 0 to 65535');
  }

  const ttl = options.tokenTtl ?? {};
  const tokenTtl = {
    accessToken: seconds(ttl.accessToken, 3600, 'tokenTtl.accessToken'),
    idToken: seconds(ttl.idToken, 3600, 'tokenTtl.idToken'),
    refreshToken: seconds(ttl.refreshToken, 30 * 24 * 3600, 'tokenTtl.refreshToken'),
  };
  const environments = resolveEnvironments(options, tokenTtl.refreshToken);
  const extraEnvironments = Array.from(
    { length: count(options.extraEnvironments, 'extraEnvironments') },
    (_, i) => ({
      id: derivedUuid(`${environments[0].id} environment ${i + 1}`),
      name: `Generated environment ${i + 1}`,
    }),
  );

  const signOnSessionTtl = seconds(
    options.signOnSessionTtl,
    DEFAULT_SIGN_ON_SESSION_TTL,
    'signOnSessionTtl',
  );
  const autoApprove = flag(options.autoApprove, 'autoApprove');
  return {
    port,
    environments,
    tokenTtl,
    signOnSessionTtl,
    extraEnvironments,
    faults: createFaults(options.faults),
    autoApprove,
  };
}
