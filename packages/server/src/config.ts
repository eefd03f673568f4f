import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseSigningKey, type ClientSigningKey } from './crypto/signing-key.js';
import type { LogLevel } from './logger/logger.js';

/** PingOne's regions, as the top-level domain of `auth.pingone.<region>`. */
export const REGIONS = ['com', 'ca', 'eu', 'com.au', 'sg', 'asia'] as const;
export type Region = (typeof REGIONS)[number];

/** How the server authenticates to PingOne's token endpoint: the four PingOne supports. */
export const TOKEN_AUTH_METHODS = [
  'client_secret_post',
  'client_secret_basic',
  'client_secret_jwt',
  'private_key_jwt',
] as const;
export type TokenAuthMethod = (typeof TOKEN_AUTH_METHODS)[number];
/** The methods that authenticate with the client secret (`client_secret_jwt` signs with it). */
export type SecretAuthMethod = Exclude<TokenAuthMethod, 'private_key_jwt'>;

/**
 * How one integration authenticates to PingOne, and with what: the client secret, or for
 * `private_key_jwt` a private key (and no secret at all).
 */
export type ClientAuth =
  | { readonly method: SecretAuthMethod; readonly clientSecret: string }
  | { readonly method: 'private_key_jwt'; readonly signingKey: ClientSigningKey };

/** One PingOne OIDC application the server connects end users to. */
export interface Integration {
  /** `pingone` for the one defined by environment variables. */
  readonly id: string;
  readonly displayName: string | null;
  readonly environmentId: string;
  /** Null for an integration made through the API on a loopback issuer (the emulator). */
  readonly region: Region | null;
  /** The PingOne custom domain its issuer is on, for one made through the API with one. */
  readonly customDomain: string | null;
  readonly clientId: string;
  readonly clientAuth: ClientAuth;
  /** The scopes sessions may ask for; always includes `openid`. */
  readonly scopes: readonly string[];
  /** PingOne's `skipTokenSessionValidation` of the application (DESIGN §4.10). */
  readonly skipTokenSessionValidation: boolean;
  /**
   * The application's `refreshTokenDuration` / `refreshTokenRollingDuration` in seconds, when
   * the operator told them; null: PingOne's defaults. They only feed `reauth_by`.
   */
  readonly refreshTokenDuration: number | null;
  readonly refreshTokenRollingDuration: number | null;
  /** The issuer, e.g. `https://auth.pingone.com/<env>/as`, without a trailing slash. */
  readonly authBaseUrl: string;
  /** The Management API base, e.g. `https://api.pingone.com`, without a trailing slash. */
  readonly apiBaseUrl: string;
}

/** The validated configuration of a server (DESIGN §4.1). */
export interface Config {
  /** Public base URL without a trailing slash. */
  readonly publicUrl: string;
  /** Always `publicUrl + '/oauth/callback'`: never taken from a request. */
  readonly redirectUri: string;
  readonly host: string;
  readonly port: number;
  /** Backend secret keys; the first is current, the others are still accepted. */
  readonly secretKeys: readonly string[];
  readonly sessionSigningKey: Uint8Array;
  /** 32-byte keys; the first encrypts, all decrypt. */
  readonly encryptionKeys: readonly Uint8Array[];
  /** Exact origins allowed to host the element. */
  readonly allowedOrigins: readonly string[];
  readonly databaseUrl: string;
  readonly sessionTtlSeconds: number;
  /** Bound on every call to PingOne. */
  readonly pingoneTimeoutMs: number;
  readonly rateLimits: { readonly oauthPerMinute: number; readonly pollPerMinute: number };
  /** Take the client address from the last `X-Forwarded-For` entry (one trusted proxy in front). */
  readonly trustProxy: boolean;
  readonly logLevel: LogLevel;
  /** `METRICS_TOKEN`: the bearer token of `GET /metrics`; null turns `/metrics` off. */
  readonly metricsToken: string | null;
  readonly webhook: { readonly url: string; readonly secret: string } | null;
  /**
   * From the `PINGONE_*` variables and `CONFIG_FILE`, read-only; there may be none, and more
   * are made at run time through `/integrations` (DESIGN §4.8).
   */
  readonly integrations: readonly Integration[];
  /** Exact host names API-made integrations may use as `custom_domain` (`PINGONE_CUSTOM_DOMAINS`). */
  readonly customDomains: readonly string[];
  /** `ALLOW_LOOPBACK_PINGONE`: API-made integrations may name `http://127.0.0.1` issuers. */
  readonly allowLoopbackPingone: boolean;
  /** How the proxy answers PingOne's 429 on idempotent calls (DESIGN §4.10). */
  readonly proxyRetry: {
    /** `PROXY_RETRIES`: calls after the first; 0 passes every 429 through at once. */
    readonly retries: number;
    /** `PROXY_RETRY_MAX_WAIT_MS`: the longest `Retry-After` the proxy waits out. */
    readonly maxWaitMs: number;
  };
  /** `EXPIRING_NOTICE_DAYS`: how long before `reauth_by` `connection.expiring` is sent. */
  readonly expiringNoticeDays: number;
  /**
   * `LOG_RETENTION_DAYS`: how long the operations log, the webhook delivery log and finished
   * webhook events are kept; null (`0`): kept forever.
   */
  readonly logRetentionDays: number | null;
  /** `DASHBOARD_PASSWORD`: the operator's sign-in to `/dashboard`; null: no dashboard. */
  readonly dashboardPassword: string | null;
}

/** One bad setting, named the way the operator wrote it. */
export interface ConfigIssue {
  /** The variable (`PORT`) or the file entry (`CONFIG_FILE integrations[0].client_id`). */
  readonly variable: string;
  readonly message: string;
}

/** The configuration is not usable; `message` names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
      options,
    );
    this.name = new.target.name;
    this.issues = issues;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Plain HTTP only on the machine itself (the emulator, local development). */
function isSecureOrLoopback(url: URL): boolean {
  return (
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  );
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

// Required strings say "is required" instead of zod's "expected string, received undefined".
const text = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim();

const httpUrl = (what: string) =>
  text()
    .refine((value) => {
      const url = parseUrl(value);
      return url !== null && isSecureOrLoopback(url) && !url.search && !url.hash && !url.username;
    }, `must be an https URL (http only on 127.0.0.1 or localhost) ${what}`)
    .transform((value) => value.replace(/\/+$/, ''));

const origin = text().refine((value) => {
  const url = parseUrl(value);
  return url !== null && url.origin === value && isSecureOrLoopback(url);
}, 'must be exact origins like https://app.example.com (no path or trailing slash; http only on loopback)');

const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  text()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1, 'needs at least one entry'));

const base64urlKey = (check: (bytes: number) => boolean, requirement: string) =>
  text()
    .refine(
      (value) =>
        /^[A-Za-z0-9_-]+$/.test(value) && check(Buffer.from(value, 'base64url').byteLength),
      `must be base64url of ${requirement}`,
    )
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64url')));

const integer = (min: number, max: number) =>
  text()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** PingOne's bounds of an application's refresh token durations, in seconds. */
export const REFRESH_DURATION_BOUNDS = { min: 60, max: 2_147_483_647 } as const;
const refreshDuration = z
  .number()
  .int()
  .min(REFRESH_DURATION_BOUNDS.min)
  .max(REFRESH_DURATION_BOUNDS.max);

const scopeList = z
  .union([text(), z.array(z.string())])
  .transform((value) => (typeof value === 'string' ? value.split(/\s+/) : value).filter(Boolean))
  .pipe(
    z
      .array(
        z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'scopes must be printable without quotes'),
      )
      .min(1)
      .refine((scopes) => scopes.includes('openid'), {
        message: 'must include openid (connections are keyed on the ID token subject)',
      }),
  );

export const DEFAULT_SCOPES = 'openid profile email p1:read:user';
/** A DNS host name: labels of letters, digits and inner hyphens, at least one dot. */
export const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An integration as written in `CONFIG_FILE` (snake_case); the env vars map onto the same fields. */
const integrationSchema = z
  .object({
    id: text().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _'),
    display_name: text().min(1).max(255).optional(),
    environment_id: text().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a PingOne environment id'),
    region: z.enum(REGIONS, { error: `must be one of ${REGIONS.join(', ')}` }).default('com'),
    client_id: text().min(1, 'is required').max(255),
    client_secret: text().min(1, 'is required').optional(),
    // A JSON object in CONFIG_FILE, its JSON text in PINGONE_PRIVATE_KEY_JWK.
    private_key_jwk: z
      .union([text(), z.record(z.string(), z.unknown())], {
        error: 'must be a private JSON Web Key',
      })
      .transform((value, context) => {
        const parsed = parseSigningKey(value);
        if (parsed.ok) return parsed.key;
        context.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      })
      .optional(),
    scopes: scopeList.default(DEFAULT_SCOPES.split(' ')),
    token_auth_method: z
      .enum(TOKEN_AUTH_METHODS, { error: `must be one of ${TOKEN_AUTH_METHODS.join(', ')}` })
      .default('client_secret_post'),
    skip_token_session_validation: z.boolean().default(false),
    refresh_token_duration: refreshDuration.optional(),
    refresh_token_rolling_duration: refreshDuration.optional(),
    auth_base_url: httpUrl('(the issuer)').optional(),
    api_base_url: httpUrl('').optional(),
  })
  .strict()
  .transform((value, context): Integration => ({
    id: value.id,
    displayName: value.display_name ?? null,
    environmentId: value.environment_id,
    region: value.region,
    customDomain: null,
    clientId: value.client_id,
    clientAuth: clientAuthOf(value, context),
    scopes: [...new Set(value.scopes)],
    skipTokenSessionValidation: value.skip_token_session_validation,
    refreshTokenDuration: value.refresh_token_duration ?? null,
    refreshTokenRollingDuration: value.refresh_token_rolling_duration ?? null,
    authBaseUrl:
      value.auth_base_url ?? `https://auth.pingone.${value.region}/${value.environment_id}/as`,
    apiBaseUrl: value.api_base_url ?? `https://api.pingone.${value.region}`,
  }));

/**
 * What is wrong with the credential fields for the token auth method: a secret for the secret
 * methods, a private key (and no secret) for `private_key_jwt`. Checked on the raw entry
 * beside the schema, so that it is reported with every other issue.
 */
function credentialIssues(raw: unknown): { field: string; message: string }[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const entry = raw as Record<string, unknown>;
  const method = entry.token_auth_method ?? 'client_secret_post';
  const keyed = method === 'private_key_jwt';
  const issues: { field: string; message: string }[] = [];
  if (keyed && entry.private_key_jwk === undefined) {
    issues.push({
      field: 'private_key_jwk',
      message: 'is required with token auth method private_key_jwt',
    });
  }
  if (!keyed && entry.private_key_jwk !== undefined) {
    issues.push({
      field: 'private_key_jwk',
      message: `is used only with token auth method private_key_jwt, not ${typeof method === 'string' && (TOKEN_AUTH_METHODS as readonly string[]).includes(method) ? method : 'this one'}`,
    });
  }
  if (!keyed && entry.client_secret === undefined) {
    issues.push({ field: 'client_secret', message: 'is required' });
  }
  if (keyed && entry.client_secret !== undefined) {
    issues.push({
      field: 'client_secret',
      message: 'is not used with token auth method private_key_jwt (the private key is): remove it',
    });
  }
  return issues;
}

/**
 * The integration's {@link ClientAuth}, or the issues of {@link credentialIssues}: with any
 * issue, zod fails the parse and this value is never seen, so its placeholders cannot be used.
 */
function clientAuthOf(
  value: {
    token_auth_method: TokenAuthMethod;
    client_secret?: string | undefined;
    private_key_jwk?: ClientSigningKey | undefined;
  },
  context: z.RefinementCtx,
): ClientAuth {
  for (const issue of credentialIssues(value)) {
    context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  }
  const { token_auth_method: method, client_secret: clientSecret, private_key_jwk: key } = value;
  if (method === 'private_key_jwt') {
    return key ? { method, signingKey: key } : z.NEVER;
  }
  return clientSecret === undefined ? z.NEVER : { method, clientSecret };
}

/**
 * A derived auth URL puts the environment id in PingOne's path: insist on its real shape there.
 * Checked beside the schema (not in a refinement) so that it is reported with every other issue.
 */
function environmentIdIssue(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { environment_id: id, auth_base_url: authBaseUrl } = raw as Record<string, unknown>;
  if (authBaseUrl !== undefined || typeof id !== 'string' || UUID.test(id.trim())) return null;
  return 'must be a UUID (or set the auth base URL for a custom domain or the emulator)';
}

/** Which environment variable feeds which integration field. */
const INTEGRATION_ENV = {
  environment_id: 'PINGONE_ENVIRONMENT_ID',
  region: 'PINGONE_REGION',
  client_id: 'PINGONE_CLIENT_ID',
  client_secret: 'PINGONE_CLIENT_SECRET',
  private_key_jwk: 'PINGONE_PRIVATE_KEY_JWK',
  scopes: 'PINGONE_SCOPES',
  token_auth_method: 'PINGONE_TOKEN_AUTH_METHOD',
  auth_base_url: 'PINGONE_AUTH_BASE_URL',
  api_base_url: 'PINGONE_API_BASE_URL',
} as const;

const fileSchema = z.object({ integrations: z.array(z.unknown()).min(1) }).strict();

const envSchema = z.object({
  PUBLIC_URL: httpUrl('').default('http://127.0.0.1:3000'),
  HOST: text().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  SECRET_KEYS: list(text().min(32, 'each key must be at least 32 characters')),
  SESSION_SIGNING_KEY: base64urlKey((n) => n >= 32, 'at least 32 random bytes'),
  ENCRYPTION_KEYS: list(base64urlKey((n) => n === 32, 'exactly 32 random bytes each')),
  ALLOWED_ORIGINS: list(origin),
  DATABASE_URL: text()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or postgres://…')
    .default('sqlite:./data/pingone-connect.db'),
  SESSION_TTL_SECONDS: integer(60, 3600).default(600),
  PINGONE_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  RATE_LIMIT_OAUTH_PER_MINUTE: integer(1, 1_000_000).default(30),
  RATE_LIMIT_POLL_PER_MINUTE: integer(1, 1_000_000).default(120),
  // Each retry holds the caller's request open: a few, and at most a minute's wait each.
  PROXY_RETRIES: integer(0, 10).default(2),
  PROXY_RETRY_MAX_WAIT_MS: integer(0, 60_000).default(10_000),
  TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
    .default('info'),
  METRICS_TOKEN: text().min(32, 'must be at least 32 characters').optional(),
  WEBHOOK_URL: httpUrl('').optional(),
  PINGONE_CUSTOM_DOMAINS: text()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(HOST_NAME, 'must be host names like auth.example.com')))
    .default([]),
  ALLOW_LOOPBACK_PINGONE: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false'),
  EXPIRING_NOTICE_DAYS: integer(1, 90).default(3),
  // 0 turns pruning off, for an operator who archives or prunes the tables on their own.
  LOG_RETENTION_DAYS: integer(0, 36_500).default(30),
  WEBHOOK_SECRET: text()
    .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, 'must be a Standard Webhooks secret (whsec_…)')
    .optional(),
  // Long enough that the sign-in's rate limit makes guessing hopeless; bounded so that the
  // scrypt of a sign-in stays cheap.
  DASHBOARD_PASSWORD: z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(256, 'must be at most 256 characters')
    .optional(),
});

type Environment = Readonly<Record<string, string | undefined>>;

/** Zod issues as operator-facing issues, their paths turned into variable names. */
function toIssues(error: z.ZodError, name: (path: PropertyKey[]) => string): ConfigIssue[] {
  return error.issues.map((issue) => ({ variable: name(issue.path), message: issue.message }));
}

function filePath(path: PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
}

/** The integrations of `CONFIG_FILE`, or the issues that stop them loading. */
function readConfigFile(path: string): { integrations: Integration[]; issues: ConfigIssue[] } {
  const variable = (suffix: string) => `CONFIG_FILE${suffix ? ` ${suffix}` : ''}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const reason = cause instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    return { integrations: [], issues: [{ variable: variable(''), message: reason }] };
  }
  const file = fileSchema.safeParse(raw);
  if (!file.success) {
    return { integrations: [], issues: toIssues(file.error, (p) => variable(filePath(p))) };
  }
  const integrations: Integration[] = [];
  const issues: ConfigIssue[] = [];
  file.data.integrations.forEach((entry, index) => {
    const parsed = integrationSchema.safeParse(entry);
    const idIssue = environmentIdIssue(entry);
    if (idIssue) {
      issues.push({
        variable: variable(`integrations[${index}].environment_id`),
        message: idIssue,
      });
    }
    for (const { field, message } of credentialIssues(entry)) {
      issues.push({ variable: variable(`integrations[${index}].${field}`), message });
    }
    if (!parsed.success) {
      issues.push(
        ...toIssues(parsed.error, (p) => variable(filePath(['integrations', index, ...p]))),
      );
    } else if (!idIssue) {
      integrations.push(parsed.data);
    }
  });
  return { integrations, issues };
}

/** The `pingone` integration of the `PINGONE_*` variables, or the issues that stop it. */
function readEnvIntegration(env: Environment): {
  integration?: Integration;
  issues: ConfigIssue[];
} {
  const fields = Object.fromEntries(
    Object.entries(INTEGRATION_ENV).flatMap(([field, name]) =>
      env[name] === undefined ? [] : [[field, env[name]]],
    ),
  );
  const parsed = integrationSchema.safeParse({ id: 'pingone', ...fields });
  const idIssue = environmentIdIssue(fields);
  const issues: ConfigIssue[] = idIssue
    ? [{ variable: INTEGRATION_ENV.environment_id, message: idIssue }]
    : [];
  for (const { field, message } of credentialIssues(fields)) {
    issues.push({ variable: INTEGRATION_ENV[field as keyof typeof INTEGRATION_ENV], message });
  }
  if (parsed.success && !idIssue) return { integration: parsed.data, issues };
  if (!parsed.success) {
    issues.push(
      ...toIssues(
        parsed.error,
        ([field]) => INTEGRATION_ENV[field as keyof typeof INTEGRATION_ENV] ?? String(field),
      ),
    );
  }
  return { issues };
}

/**
 * Reads and validates the configuration from environment variables (and the integrations of
 * `CONFIG_FILE` when set). Empty variables count as unset.
 *
 * @throws ConfigError naming every bad variable at once.
 */
export function loadConfig(environment: Environment = process.env): Config {
  const env: Environment = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const issues: ConfigIssue[] = [];

  const parsed = envSchema.safeParse(env);
  if (!parsed.success) issues.push(...toIssues(parsed.error, ([name]) => String(name)));
  if ((env.WEBHOOK_URL === undefined) !== (env.WEBHOOK_SECRET === undefined)) {
    const missing = env.WEBHOOK_URL === undefined ? 'WEBHOOK_URL' : 'WEBHOOK_SECRET';
    issues.push({
      variable: missing,
      message: 'is required when the other WEBHOOK_ variable is set',
    });
  }
  // A scraper's configuration is rarely guarded like a backend secret: never the same token.
  if (parsed.success && parsed.data.METRICS_TOKEN !== undefined) {
    if (parsed.data.SECRET_KEYS.includes(parsed.data.METRICS_TOKEN)) {
      issues.push({
        variable: 'METRICS_TOKEN',
        message: 'must differ from every SECRET_KEYS entry',
      });
    }
  }

  const integrations: Integration[] = [];
  const envDefinesIntegration = Object.values(INTEGRATION_ENV).some(
    (name) => env[name] !== undefined,
  );
  // None at all is fine: integrations can be made through the API (DESIGN §4.8).
  if (envDefinesIntegration) {
    const fromEnv = readEnvIntegration(env);
    issues.push(...fromEnv.issues);
    if (fromEnv.integration) integrations.push(fromEnv.integration);
  }
  if (env.CONFIG_FILE !== undefined) {
    const fromFile = readConfigFile(env.CONFIG_FILE);
    issues.push(...fromFile.issues);
    integrations.push(...fromFile.integrations);
  }
  const seen = new Set<string>();
  for (const { id } of integrations) {
    if (seen.has(id))
      issues.push({ variable: 'CONFIG_FILE', message: `integration id ${id} is defined twice` });
    seen.add(id);
  }

  if (!parsed.success || issues.length > 0) {
    const unique = new Map(issues.map((issue) => [`${issue.variable}\0${issue.message}`, issue]));
    throw new ConfigError([...unique.values()]);
  }
  const value = parsed.data;
  return {
    publicUrl: value.PUBLIC_URL,
    redirectUri: `${value.PUBLIC_URL}/oauth/callback`,
    host: value.HOST,
    port: value.PORT,
    secretKeys: value.SECRET_KEYS,
    sessionSigningKey: value.SESSION_SIGNING_KEY,
    encryptionKeys: value.ENCRYPTION_KEYS,
    allowedOrigins: value.ALLOWED_ORIGINS,
    databaseUrl: value.DATABASE_URL,
    sessionTtlSeconds: value.SESSION_TTL_SECONDS,
    pingoneTimeoutMs: value.PINGONE_TIMEOUT_MS,
    rateLimits: {
      oauthPerMinute: value.RATE_LIMIT_OAUTH_PER_MINUTE,
      pollPerMinute: value.RATE_LIMIT_POLL_PER_MINUTE,
    },
    trustProxy: value.TRUST_PROXY === 'true',
    logLevel: value.LOG_LEVEL,
    metricsToken: value.METRICS_TOKEN ?? null,
    webhook:
      value.WEBHOOK_URL && value.WEBHOOK_SECRET
        ? { url: value.WEBHOOK_URL, secret: value.WEBHOOK_SECRET }
        : null,
    integrations,
    customDomains: [...new Set(value.PINGONE_CUSTOM_DOMAINS)],
    allowLoopbackPingone: value.ALLOW_LOOPBACK_PINGONE === 'true',
    proxyRetry: { retries: value.PROXY_RETRIES, maxWaitMs: value.PROXY_RETRY_MAX_WAIT_MS },
    expiringNoticeDays: value.EXPIRING_NOTICE_DAYS,
    logRetentionDays: value.LOG_RETENTION_DAYS === 0 ? null : value.LOG_RETENTION_DAYS,
    dashboardPassword: value.DASHBOARD_PASSWORD ?? null,
  };
}
