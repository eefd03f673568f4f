import type { JWK } from 'jose';

/** PingOne's built-in admin roles (Built-in Admin Roles page). */
export type PingOneRole =
  | 'Organization Admin'
  | 'Environment Admin'
  | 'Identity Data Admin'
  | 'Identity Data Read-Only Admin'
  | 'Client Application Developer'
  | 'Configuration Read-Only Admin'
  | 'Application Owner'
  | 'Custom Role Admin'
  | 'Help Desk Admin'
  | 'DaVinci Admin'
  | 'DaVinci Read-Only Admin';

/** What a role assignment covers: the organization, or one environment (default: the emulator's own). */
export type RoleAssignmentScope = { type: 'ORGANIZATION' } | { type: 'ENVIRONMENT'; id?: string };

/** One of a user's admin role assignments. */
export interface EmulatorRoleAssignment {
  role: PingOneRole;
  /** Default `{ type: 'ENVIRONMENT' }`, the emulator's environment. */
  scope?: RoleAssignmentScope;
}

/** A user who can sign on at the emulator. */
export interface EmulatorUser {
  /** PingOne user id (a uuid); the `sub` of every token issued to this user. */
  id: string;
  username: string;
  password: string;
  email: string;
  givenName: string;
  familyName: string;
  /**
   * Admin role assignments, which count only in tokens of a Worker application (user-based
   * grant); default none. Self-service (Web App) tokens never carry roles.
   */
  roleAssignments?: EmulatorRoleAssignment[];
}

/** PingOne's application type: a Web App (self-service scopes) or a Worker (admin roles). */
export type ApplicationType = 'WEB_APP' | 'WORKER';

/** How a client authenticates at the token, revocation and introspection endpoints. */
export type TokenEndpointAuthMethod =
  'client_secret_post' | 'client_secret_basic' | 'client_secret_jwt' | 'private_key_jwt';

/** PingOne's `pkceEnforcement` of an application. */
export type PkceEnforcement = 'OPTIONAL' | 'REQUIRED' | 'S256_REQUIRED';

/** A JSON Web Key Set of public keys. */
export interface EmulatorJwks {
  keys: JWK[];
}

/** An OIDC application registered in the emulated environment. */
export interface EmulatorClient {
  clientId: string;
  /**
   * PingOne's `type`, default `WEB_APP`. A `WORKER` signing users on with the authorization code
   * grant may request OpenID Connect scopes only, and its access tokens act with the user's role
   * assignments at the Management API.
   */
  applicationType?: ApplicationType;
  clientSecret: string;
  /** Matched exactly, as PingOne does. */
  redirectUris: string[];
  /**
   * Default `client_secret_post`, PingOne's default for a new Web App. `client_secret_jwt` signs
   * the client assertion with `clientSecret` (HS256/384/512); `private_key_jwt` with a private key
   * whose public half is in `jwks` (RS256/384/512).
   */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** PingOne's `jwks`: the public keys of a `private_key_jwt` client (and only of one). */
  jwks?: EmulatorJwks;
  /**
   * PingOne's `pkceEnforcement`: `OPTIONAL` (PingOne's default), `REQUIRED` or `S256_REQUIRED`.
   * The emulator supports only the S256 method, so `plain` is refused under all three.
   */
  pkceEnforcement?: PkceEnforcement;
  /**
   * PingOne's `refreshTokenRollingGracePeriodDuration`: for this many seconds (0–86400) after a
   * refresh token was exchanged, it may be exchanged once more. Default 0 (PingOne's null): none,
   * and replaying a used refresh token revokes the whole chain.
   */
  refreshTokenRollingGracePeriodDuration?: number;
  /**
   * PingOne's `skipTokenSessionValidation`: when true, this client's refresh and access tokens
   * stay valid after the user's sign-on session ends (signoff, expiry, purge). Default false:
   * they die with the session.
   */
  skipTokenSessionValidation?: boolean;
  /**
   * PingOne's `refreshTokenDuration`: the lifetime in seconds of each refresh token (60 to
   * 2147483647). Default `tokenTtl.refreshToken`, itself 2592000 (30 days, PingOne's default).
   */
  refreshTokenDuration?: number;
  /**
   * PingOne's `refreshTokenRollingDuration`: seconds after sign-on past which no refresh token of
   * the chain works, however recently it was issued (60 to 2147483647, at least
   * `refreshTokenDuration`). Default 15552000 (180 days, PingOne's default).
   */
  refreshTokenRollingDuration?: number;
  /**
   * PingOne's `postLogoutRedirectUris`: where signoff may send the browser afterwards (matched
   * exactly). Default none: signoff ends on the emulator's signed-out page.
   */
  postLogoutRedirectUris?: string[];
}

/** A custom resource (a non-PingOne API) whose scopes an application may request. */
export interface EmulatorResource {
  /** The `aud` of its access tokens; any absolute URI. */
  audience: string;
  scopes: string[];
}

/** Failures the emulator injects on purpose; see {@link Emulator.faults}. */
export interface EmulatorFaults {
  /** 0 = off; the token endpoint waits this long (ms) before answering. */
  tokenDelayMs: number;
  /** e.g. 503: the token endpoint answers this 5xx status with a PingOne-shaped error. */
  tokenFailStatus: number | null;
  /** The Management API answers 429 with this `Retry-After` (seconds). */
  apiRateLimit: { retryAfter: number } | null;
  /**
   * The token endpoint answers 429 `REQUEST_LIMITED` with this `Retry-After` (seconds), before it
   * looks at the request, as PingOne's rate limiting does.
   */
  tokenRateLimit: { retryAfter: number } | null;
  /** The sign-on and consent pages send `Cross-Origin-Opener-Policy: same-origin`. */
  coopOnSignIn: boolean;
  /**
   * Default false: the authorization response carries no RFC 9207 `iss` and discovery does not
   * advertise it, since no PingOne page shows PingOne sending it. True adds both.
   */
  authorizationResponseIss: boolean;
}

/** Options of {@link EmulatorLiveFaults.holdRefreshAfterRotation}. */
export interface RefreshHoldOptions {
  /** How many refresh requests to hold, default 1; later ones are answered as usual. */
  requests?: number;
}

/**
 * A hold on the token endpoint's refresh_token grant, at the moment after it has rotated the
 * refresh token (the new one issued, the old one used) and before it answers.
 */
export interface RefreshHold {
  /**
   * Resolves once `requests` refreshes are being held; rejects when the hold is released or the
   * emulator closes before that.
   */
  readonly held: Promise<void>;
  /** Lets every held request answer and stops holding new ones; a second call does nothing. */
  release(): void;
}

/** The fault switches of a running emulator: {@link EmulatorFaults} and the holds. */
export interface EmulatorLiveFaults extends EmulatorFaults {
  /**
   * Holds the next refresh_token grant(s) after they have rotated the refresh token, until
   * released, so that a test can stop the emulator's client at exactly that moment. One hold at a
   * time: arming a second before releasing the first throws `TypeError`. When the emulator closes,
   * held requests end without an answer, as if it had crashed.
   */
  holdRefreshAfterRotation(options?: RefreshHoldOptions): RefreshHold;
}

/** Why a sign-on session ended. */
export type SignOnSessionEndReason = 'signoff' | 'expired' | 'purged' | 'deleted';

/** A user's sign-on session, PingOne's `sid`: one per browser and sign-on. */
export interface SignOnSession {
  /** The `sid` claim of the tokens issued within it. */
  id: string;
  userId: string;
  signedOnAt: Date;
  /** The end of its life (`signOnSessionTtl` after sign-on); nothing extends it. */
  expiresAt: Date;
  endedAt?: Date;
  endReason?: SignOnSessionEndReason;
}

/** Token lifetimes in seconds. */
export interface EmulatorTokenTtl {
  /** Default 3600. */
  accessToken?: number;
  /** Default 3600. */
  idToken?: number;
  /** Default 2592000 (30 days, PingOne's default). */
  refreshToken?: number;
}

/**
 * One PingOne environment of an emulator that runs several: its own issuer, signing key, clients,
 * users, role assignments and sign-on sessions. Each stands for a different customer's PingOne,
 * in an organization of its own, and nothing issued by one is taken by another.
 */
export interface EmulatorEnvironmentOptions {
  /** The environment id (a uuid), unique within the emulator. */
  id: string;
  /** Required, at least one; client ids are unique across all environments, as PingOne's are. */
  clients: EmulatorClient[];
  /** Default `[DEFAULT_USER]`. */
  users?: EmulatorUser[];
  /** Default `[DEFAULT_CUSTOM_RESOURCE]`. */
  customResources?: EmulatorResource[];
  /** As {@link EmulatorOptions.extraUsers}, in this environment. */
  extraUsers?: number;
}

export interface EmulatorOptions {
  /** Default 0 (a random free port); the emulator always binds 127.0.0.1. */
  port?: number;
  /**
   * Several environments, the first one described by the emulator's own fields. Without it,
   * `environmentId`, `clients`, `users`, `customResources` and `extraUsers` define the one
   * environment; giving both forms throws `TypeError`.
   */
  environments?: EmulatorEnvironmentOptions[];
  /** Default {@link DEFAULT_ENVIRONMENT_ID}. */
  environmentId?: string;
  /** Default `[DEFAULT_CLIENT]`. */
  clients?: EmulatorClient[];
  /** Default `[DEFAULT_USER]`. */
  users?: EmulatorUser[];
  /** Default `[DEFAULT_CUSTOM_RESOURCE]`: lets tests request another resource's scopes. */
  customResources?: EmulatorResource[];
  tokenTtl?: EmulatorTokenTtl;
  /**
   * Test-only, default 0 (at most 10000): this many more environments, listed by
   * `GET /v1/environments` (in the first environment's organization, no users, no issuer), for
   * paging tests.
   */
  extraEnvironments?: number;
  /**
   * Test-only, default 0 (at most 10000): this many generated users besides `users`, named
   * `user-1` … with password `user-1-password` …, for paging tests.
   */
  extraUsers?: number;
  /**
   * Seconds a sign-on session lives after sign-on, default 2592000 (30 days, PingOne's idle
   * timeout, read strictly: nothing extends it). Tests shorten it or move `Date`.
   */
  signOnSessionTtl?: number;
  faults?: Partial<EmulatorFaults>;
  /**
   * Test-only, default false. When true, an authorization request carrying
   * `login_hint=<username>` signs that user on and grants the requested scopes without showing
   * any page.
   */
  autoApprove?: boolean;
}

export interface ApproveOptions {
  /** Who signs on; default the `login_hint` of the request, else the first user. */
  username?: string;
  /** Press "Deny" on the consent page instead of "Allow". */
  deny?: boolean;
}

/** Parameters of PingOne's signoff request. */
export interface SignOffParameters {
  idTokenHint?: string;
  postLogoutRedirectUri?: string;
  state?: string;
}

/** One browser, cookies kept across calls: see {@link Emulator.browser}. */
export interface EmulatorBrowser {
  /** As {@link Emulator.approve}, in this browser: a second call signs on by single sign-on. */
  approve(authorizeUrl: string | URL, options?: ApproveOptions): Promise<URL>;
  /**
   * `GET {issuer}/signoff` in this browser; returns the URL it redirects to, without fetching it.
   * Throws {@link ApproveError} when the emulator answers with its error page.
   */
  signOff(parameters?: SignOffParameters): Promise<URL>;
}

/** Options of {@link EmulatorEnvironment.rotateClientSecret}. */
export interface RotateClientSecretOptions {
  /** The new secret; default a random one (64 characters). */
  secret?: string;
  /**
   * How long the replaced secret keeps working, in seconds, as PingOne's "Retain Previous
   * Secret": 0 (Do Not Retain) to 2592000 (30 days, the maximum), default 2592000. It may end
   * sooner with {@link EmulatorEnvironment.revokePreviousClientSecret}.
   */
  retainPreviousFor?: number;
}

/** One environment of a running emulator, with the accessors that concern it alone. */
export interface EmulatorEnvironment {
  id: string;
  /** `http://127.0.0.1:{port}/{id}/as` */
  issuer: string;
  /** Equal to {@link issuer}: what the server calls `PINGONE_AUTH_BASE_URL`. */
  authBaseUrl: string;
  /** `http://127.0.0.1:{port}`, shared by all environments: `PINGONE_API_BASE_URL`. */
  apiBaseUrl: string;
  /** The `org` claim of its tokens: each environment has an organization of its own. */
  organizationId: string;
  clients: EmulatorClient[];
  users: EmulatorUser[];
  /** This environment's token endpoint calls (all, or by `grant_type`) since start or reset. */
  tokenRequests(grantType?: string): number;
  resetCounters(): void;
  /**
   * Test helper: follows an authorization URL as a browser would (cookie jar, the real sign-on
   * and consent forms posted over HTTP) and returns the URL the emulator redirects to at the
   * client's redirect_uri (with code/state, iss when switched on, or `error=access_denied` when `deny`), without
   * fetching it. Throws {@link ApproveError} when the emulator answers with an error page.
   */
  approve(authorizeUrl: string | URL, options?: ApproveOptions): Promise<URL>;
  /**
   * Test helper: a browser with its own cookie jar, which keeps the sign-on session between
   * {@link EmulatorBrowser.approve} and {@link EmulatorBrowser.signOff}.
   */
  browser(): EmulatorBrowser;
  /** Every sign-on session so far, ended ones included (test hook). */
  sessions(): SignOnSession[];
  /**
   * Ends a sign-on session as PingOne's "Session deleted by API" does (test hook): refresh
   * tokens bound to it stop working. False when there is no such live session.
   */
  endSession(id: string): boolean;
  /**
   * PingOne's "Generate New Secret" for a client of this environment, while the emulator runs:
   * the new secret works at once, the previous one until its retention ends or it is revoked.
   * Grants, tokens and sessions stay. Returns the new secret, which {@link clients} shows from
   * now on. Throws `TypeError` for a client that is not here, a `private_key_jwt` one, or a bad
   * option.
   */
  rotateClientSecret(clientId: string, options?: RotateClientSecretOptions): string;
  /**
   * PingOne's "Revoke Previous Client Secret": only the current secret works from now on. False
   * when no previous secret was retained (any more); `TypeError` as {@link rotateClientSecret}.
   */
  revokePreviousClientSecret(clientId: string): boolean;
}

/**
 * A running emulator. Its own fields describe its first environment, except where noted: the
 * counters and sessions cover every environment, and `approve` serves any of them.
 */
export interface Emulator extends Omit<EmulatorEnvironment, 'id' | 'organizationId'> {
  environmentId: string;
  port: number;
  /** Every environment, in the order given (one without the `environments` option). */
  environments: EmulatorEnvironment[];
  /** The environment with this id; throws `TypeError` when there is none. */
  environment(id: string): EmulatorEnvironment;
  /** Live and mutable: tests write `emulator.faults.tokenDelayMs = 5000`. Bad values throw `TypeError`. */
  faults: EmulatorLiveFaults;
  /**
   * Token endpoint calls (all, or by `grant_type`) since start or the last {@link resetCounters},
   * summed over every environment; {@link EmulatorEnvironment.tokenRequests} counts one.
   */
  tokenRequests(grantType?: string): number;
  /** Resets every environment's counters. */
  resetCounters(): void;
  /**
   * As {@link EmulatorEnvironment.approve}, in the environment whose paths the URL is under
   * (else the first).
   */
  approve(authorizeUrl: string | URL, options?: ApproveOptions): Promise<URL>;
  /** A browser of the first environment: {@link EmulatorEnvironment.browser}. */
  browser(): EmulatorBrowser;
  /** Every sign-on session of every environment so far, ended ones included (test hook). */
  sessions(): SignOnSession[];
  /** As {@link EmulatorEnvironment.endSession}, for a session of any environment. */
  endSession(id: string): boolean;
  /** As {@link EmulatorEnvironment.rotateClientSecret}, for a client of any environment. */
  rotateClientSecret(clientId: string, options?: RotateClientSecretOptions): string;
  /** As {@link EmulatorEnvironment.revokePreviousClientSecret}, for a client of any environment. */
  revokePreviousClientSecret(clientId: string): boolean;
  /** Stops listening, drops open connections and ends pending delayed and held responses. */
  close(): Promise<void>;
}
