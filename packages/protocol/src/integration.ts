import { hasExactKeys, isArrayOf, isRecord, isString } from './guards.js';

/**
 * The integration shapes of the HTTP API (DESIGN §4.8): one PingOne application of one of your
 * customers. The client secret goes in ({@link IntegrationInput}) and never comes out.
 */

/** PingOne's regions, as the top-level domain of `auth.pingone.<region>`. */
export type PingOneRegion = 'com' | 'ca' | 'eu' | 'com.au' | 'sg' | 'asia';

/**
 * How the server authenticates to PingOne's token endpoint: the client secret in the body, in
 * a Basic header, or as the key of an HS256 assertion; or an assertion signed with a private
 * key (`private_key_jwt`), whose public half is registered in the PingOne application.
 */
export type TokenAuthMethod =
  'client_secret_post' | 'client_secret_basic' | 'client_secret_jwt' | 'private_key_jwt';

/** The algorithms PingOne accepts for a `private_key_jwt` assertion. */
export type SigningAlg = 'RS256' | 'RS384' | 'RS512';

/** The public half of an integration's signing key, as PingOne's application JWKS holds it. */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: SigningAlg;
  use: 'sig';
}

/** A `private_key_jwt` integration's key as answered: public parts only. */
export interface SigningKeyView {
  kid: string;
  alg: SigningAlg;
  /** Ready to paste as the JWKS of the PingOne application. */
  jwks: { keys: PublicJwk[] };
}

/** `config`: from the server's environment or `CONFIG_FILE`, read-only; `api`: made through the API. */
export type IntegrationSource = 'config' | 'api';

/** One check of a preflight: what was checked, whether it passed, and what to do when not. */
export interface PreflightCheck {
  /** e.g. `discovery`, `issuer`, `endpoints`, `pkce`, `auth_method`, `client_credentials`. */
  name: string;
  ok: boolean;
  /** For the customer's PingOne administrator: which setting to look at. Never a secret. */
  message: string;
}

/** The outcome of a preflight: `ok` when every check passed. */
export interface PreflightResult {
  ok: boolean;
  checks: PreflightCheck[];
}

/** An integration as the API answers it: never its client secret or private key. */
export interface Integration {
  id: string;
  display_name: string | null;
  environment_id: string;
  /** Null for an integration on a loopback issuer (the emulator). */
  region: PingOneRegion | null;
  custom_domain: string | null;
  client_id: string;
  token_auth_method: TokenAuthMethod;
  /** For `private_key_jwt`: the public key to register in PingOne; null for the other methods. */
  signing_key: SigningKeyView | null;
  scopes: string[];
  skip_token_session_validation: boolean;
  /**
   * The application's `refreshTokenDuration` and `refreshTokenRollingDuration` in PingOne, in
   * seconds, as told to the server; null when not told (PingOne's defaults, 30 and 180 days,
   * are assumed). They only feed `reauth_by`: PingOne enforces them, the server cannot read them.
   */
  refresh_token_duration: number | null;
  refresh_token_rolling_duration: number | null;
  source: IntegrationSource;
  /** Null for `config` integrations, which live as long as the server's configuration. */
  created_at: string | null;
  updated_at: string | null;
}

/** `201` answer of `POST /integrations`, and answer of a `PATCH` that re-ran the checks. */
export interface CreatedIntegration extends Integration {
  preflight: PreflightResult;
}

/**
 * Answer of `PATCH /integrations/:id`: `preflight` is there when the change re-ran the checks
 * (a new client secret or auth method); a change that failed them is a `422` instead.
 */
export interface UpdatedIntegration extends Integration {
  preflight?: PreflightResult;
}

/** Body of `POST /integrations`. */
export interface IntegrationInput {
  /** Your customer's slug: `[a-z0-9][a-z0-9-]{0,62}`. */
  id: string;
  display_name?: string;
  environment_id: string;
  /** Default `com`; also the region of the API when `custom_domain` is set. */
  region?: PingOneRegion;
  /** A PingOne custom domain; must be listed in the server's `PINGONE_CUSTOM_DOMAINS`. */
  custom_domain?: string;
  /** Only with `ALLOW_LOOPBACK_PINGONE=true`: an `http://127.0.0.1` or `localhost` issuer. */
  auth_base_url?: string;
  api_base_url?: string;
  client_id: string;
  /** Required, except with `private_key_jwt` (where it must be left out). */
  client_secret?: string;
  /**
   * With `private_key_jwt` only, and then required: the RSA private JWK (RS256, RS384 or
   * RS512) that signs the client assertions. Stored encrypted, never returned.
   */
  private_key_jwk?: Record<string, unknown>;
  /** Default `client_secret_post`. */
  token_auth_method?: TokenAuthMethod;
  /** Default `openid profile email p1:read:user`; must include `openid`. */
  scopes?: string[];
  skip_token_session_validation?: boolean;
  /** Seconds, 60–2147483647, as set on the application in PingOne (see `Integration`). */
  refresh_token_duration?: number;
  refresh_token_rolling_duration?: number;
}

/** Body of `PATCH /integrations/:id`: what may change; at least one field. */
export interface IntegrationPatch {
  display_name?: string | null;
  /** For the secret methods; required when switching from `private_key_jwt` to one. */
  client_secret?: string;
  /** For `private_key_jwt`; required when switching to it. */
  private_key_jwk?: Record<string, unknown>;
  token_auth_method?: TokenAuthMethod;
  scopes?: string[];
  skip_token_session_validation?: boolean;
  /** `null` goes back to PingOne's default. */
  refresh_token_duration?: number | null;
  refresh_token_rolling_duration?: number | null;
}

/** `details` of a `422 integration_invalid` error: every check of the failed preflight. */
export interface IntegrationInvalidDetails {
  checks: PreflightCheck[];
}

export const isPreflightCheck = (value: unknown): value is PreflightCheck =>
  isRecord(value) &&
  hasExactKeys(value, ['name', 'ok', 'message']) &&
  isString(value.name) &&
  typeof value.ok === 'boolean' &&
  isString(value.message);

/** A strict guard for {@link IntegrationInvalidDetails}. */
export function isIntegrationInvalidDetails(value: unknown): value is IntegrationInvalidDetails {
  return (
    isRecord(value) && hasExactKeys(value, ['checks']) && isArrayOf(value.checks, isPreflightCheck)
  );
}
