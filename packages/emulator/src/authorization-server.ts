import { randomBytes } from 'node:crypto';
import type { JWK, JWTPayload } from 'jose';
import type {
  ClientMetadata,
  Configuration,
  KoaContextWithOIDC,
  RefreshToken,
} from 'oidc-provider';
import { CLAIMS_BY_SCOPE, type Directory } from './accounts.js';
import { correlateErrors, withCorrelationId } from './correlation-id.js';
import { OIDC_SCOPES, REGION, SIGN_ON_POLICY } from './defaults.js';
import { refreshHoldsOf } from './faults.js';
import { grantedScope, reportGrantedScope } from './granted-scope.js';
import type { ResolvedEnvironment, ResolvedOptions } from './options.js';
import { errorPage, type Page } from './pages.js';
import { createProvider, errors, type Provider } from './quiet-oidc-provider.js';
import { RefreshGrace } from './refresh-grace.js';
import { holdRotatedRefreshes } from './refresh-hold.js';
import { issParameter } from './iss-parameter.js';
import { signOff } from './sign-off.js';
import { revocable, structuredTokens, type AccessTokenLedger } from './revocation.js';
import type { ScopeCatalog } from './scopes.js';
import type { SessionBinding, SessionBoundToken } from './sign-on-sessions.js';

/** PingOne's endpoint names, relative to the issuer. */
export const ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  revocation: '/revoke',
  introspection: '/introspect',
  end_session: '/signoff',
  pushed_authorization_request: '/par',
} as const;

export interface AuthorizationServerInput {
  issuer: string;
  /** Path of the sign-on pages; an interaction's uid is appended. */
  signOnPath: string;
  options: ResolvedOptions;
  /** The environment this provider is the authorization server of. */
  environment: ResolvedEnvironment;
  directory: Directory;
  catalog: ScopeCatalog;
  signingKey: JWK;
  binding: SessionBinding;
  ledger: AccessTokenLedger;
  /** The secret oidc-provider knows a client by (see ClientSecrets), not the client's own. */
  innerSecretOf: (client: ResolvedEnvironment['clients'][number]) => string;
  /** The claims of an unexpired JWT access token this environment signed, for any audience. */
  verifyAccessToken: (token: string) => Promise<JWTPayload | undefined>;
}

const DAY = 24 * 3600;

/**
 * PingOne's ID token claims beyond the user's, from the token-claims page:
 * https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html
 * `sid` ("the identifier for the user session"), `acr` (the sign-on policy completed), `amr`,
 * `auth_time`, `env` and `org` (the environment and organization ids), and `p1.region`. The
 * stored copy of that page available here cuts its ID-token table short, so the form of
 * `p1.region` is not quoted: the emulator uses its environments' region code, `NA`.
 */
const ID_TOKEN_CLAIMS = ['sid', 'acr', 'amr', 'auth_time', 'env', 'org', 'p1.region'];

function send(ctx: KoaContextWithOIDC, page: Page): void {
  ctx.set(page.headers);
  ctx.body = page.body;
}

/**
 * The scope as the client asked for it. oidc-provider drops `offline_access` from the
 * authorization request's scope before any hook sees it; PingOne does not know that scope, so
 * the emulator checks what was sent.
 */
function requestedScope(ctx: KoaContextWithOIDC): string | undefined {
  const { route, body, params } = ctx.oidc;
  if (route === 'authorization' || route === 'pushed_authorization_request') {
    const sent = ctx.method === 'POST' ? body?.scope : ctx.query.scope;
    if (typeof sent === 'string') return sent;
  }
  return params?.scope as string | undefined;
}

/** Revocation: a client may only revoke its own tokens. */
function ownTokenOnly(
  _ctx: KoaContextWithOIDC,
  client: { clientId: string },
  token: { clientId?: string },
): boolean {
  return token.clientId === client.clientId;
}

/**
 * The refresh token grant, the code exchange and UserInfo refuse a token whose sign-on session
 * has ended (see {@link SessionBinding}). oidc-provider asks `findAccount` in each of them before
 * it issues anything, so the check sits there.
 */
function checkSession(ctx: KoaContextWithOIDC, token: unknown, binding: SessionBinding): void {
  const kind = (token as { kind?: string } | undefined)?.kind;
  if (kind === 'AccessToken') {
    const { extra, clientId } = token as { extra?: { sid?: unknown }; clientId?: string };
    if (binding.holdsSid(extra?.sid, clientId)) return;
  } else if (kind === 'RefreshToken' || kind === 'AuthorizationCode') {
    if (binding.holds(token as SessionBoundToken)) return;
  } else {
    return;
  }
  if (ctx.oidc.route === 'userinfo') throw new errors.InvalidToken('the sign-on session has ended');
  throw new errors.InvalidGrant('the sign-on session of this grant has ended');
}

function clientMetadata(
  { clients }: ResolvedEnvironment,
  innerSecretOf: AuthorizationServerInput['innerSecretOf'],
): ClientMetadata[] {
  return clients.map((client) => ({
    client_id: client.clientId,
    client_secret: innerSecretOf(client),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.jwks && { jwks: client.jwks as ClientMetadata['jwks'] }),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // A web client: redirect URIs match exactly (a native one would ignore loopback ports).
    application_type: 'web',
    id_token_signed_response_alg: 'RS256',
  }));
}

/** The oidc-provider instance behind `/{environmentId}/as`, configured to behave like PingOne. */
export function createAuthorizationServer(input: AuthorizationServerInput): Provider {
  const { issuer, signOnPath, options, environment, directory, catalog, signingKey } = input;
  const { binding, ledger } = input;
  const { tokenTtl } = options;
  const { clients } = environment;
  const grace = new RefreshGrace(clients);
  const lifetimes = new Map(clients.map((c) => [c.clientId, c]));
  const environmentClaims = { env: environment.id, org: environment.organizationId };
  const workers = new Set(
    clients.filter((c) => c.applicationType === 'WORKER').map((c) => c.clientId),
  );
  const pkceOf = new Map(clients.map((c) => [c.clientId, c.pkceEnforcement]));

  /**
   * PingOne's refresh token lifetimes, per application: each token lives
   * `refreshTokenDuration` seconds ("used to generate the value for the exp claim when minting
   * a new refresh token"), and none outlives `refreshTokenRollingDuration` ("the number of seconds
   * a refresh token can be exchanged before re-authentication is required"), counted from the
   * sign-on, the earliest reading. Defaults 30 and 180 days.
   * https://github.com/pingidentity/terraform-provider-pingone/blob/main/docs/resources/application.md
   */
  function refreshTokenTtl(
    _ctx: KoaContextWithOIDC,
    token: RefreshToken,
    client: { clientId: string },
  ): number {
    const settings = lifetimes.get(client.clientId);
    const duration = settings?.refreshTokenDuration ?? tokenTtl.refreshToken;
    const rolling = settings?.refreshTokenRollingDuration ?? duration;
    const start = token.authTime ?? token.iiat ?? Math.floor(Date.now() / 1000);
    const left = start + rolling - Math.floor(Date.now() / 1000);
    return Math.max(1, Math.min(duration, left));
  }

  const configuration: Configuration = {
    clients: clientMetadata(environment, input.innerSecretOf),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...OIDC_SCOPES],
    // The claims every ID token carries, under `openid` so that oidc-provider releases them.
    claims: { ...CLAIMS_BY_SCOPE, openid: [...CLAIMS_BY_SCOPE.openid!, ...ID_TOKEN_CLAIMS] },
    acrValues: [SIGN_ON_POLICY],
    // PingOne puts the profile and email claims in the ID token of a code flow too.
    conformIdTokenClaims: false,
    findAccount: async (ctx, sub, token) => {
      checkSession(ctx, token, binding);
      await grace.admit(ctx, token);
      const sid = binding.sidOf((token ?? {}) as SessionBoundToken);
      return directory.findAccount(sub, {
        ...environmentClaims,
        'p1.region': REGION,
        ...(sid && { sid }),
      });
    },
    responseTypes: ['code'],
    // PingOne's pkceEnforcement per application (terraform pingone_application
    // `pkce_enforcement`: "Options are OPTIONAL, REQUIRED, S256_REQUIRED. Defaults to OPTIONAL").
    // oidc-provider knows only S256, so `plain` is refused even where PingOne would take it.
    pkce: {
      required: (_ctx, client) => pkceOf.get(client.clientId) !== 'OPTIONAL',
    },
    // Only what the emulator really supports is advertised: no `none`, since it registers no
    // public client.
    clientAuthMethods: [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
    ],
    enabledJWA: {
      // PingOne: "For CLIENT_SECRET_JWT signing, the platform supports only the HS256, HS384, and
      // HS512 symmetric keyed hashing algorithm"; for PRIVATE_KEY_JWT "RS256, RS384, and RS512"
      // (create-a-client-secret-jwt, create-a-private-key-jwt).
      clientAuthSigningAlgValues: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'],
    },
    // PingOne: "Tokens that expire more than one hour from now are rejected."
    assertJwtClientAuthClaimsAndHeader: (_ctx, claims) => {
      if (typeof claims.exp === 'number' && claims.exp > Math.floor(Date.now() / 1000) + 3600) {
        throw new errors.InvalidClientAuth(
          'the client assertion expires more than one hour from now',
        );
      }
    },
    routes: ROUTES,
    // PingOne with "Refresh Token" ticked: one on every code exchange, no offline_access needed,
    // rotated on every use. Session binding is the emulator's own (SessionBinding), since
    // PingOne's sessions outlive oidc-provider's and a client may skip it.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    expiresWithSession: async () => false,
    // Access tokens carry the sign-on's `sid`, `auth_time` and `acr` (opaque ones in `extra`),
    // and `env` and `org` when they are for the PingOne API.
    extraTokenClaims: async (ctx, token) => {
      const { AuthorizationCode, RefreshToken } = ctx.oidc.entities;
      const source = AuthorizationCode ?? RefreshToken;
      const sid = source && binding.sidOf(source);
      const forApi =
        'resourceServer' in token && token.resourceServer?.audience === catalog.apiAudience;
      return {
        ...(forApi && environmentClaims),
        ...(sid && { sid }),
        ...(source?.authTime !== undefined && { auth_time: source.authTime }),
        ...(source?.acr !== undefined && { acr: source.acr }),
      };
    },
    formats: {
      customizers: {
        jwt: (ctx, token, jwt) => {
          jwt.payload.scope = grantedScope(ctx, token.scope);
          // "aud: A string that lists the names of resources": PingOne sends an array.
          if (typeof jwt.payload.aud === 'string') jwt.payload.aud = [jwt.payload.aud];
          ledger.record(jwt.payload.jti, 'grantId' in token ? token.grantId : undefined);
        },
      },
    },
    ttl: {
      AccessToken: tokenTtl.accessToken,
      IdToken: tokenTtl.idToken,
      RefreshToken: refreshTokenTtl,
      AuthorizationCode: 60,
      Interaction: 600,
      // The browser's session, for single sign-on: as long as the sign-on session lives.
      Session: (_ctx, session) =>
        session.loginTs
          ? Math.max(1, session.loginTs + binding.sessions.lifetime - Math.floor(Date.now() / 1000))
          : 600,
      // A grant outlives every refresh token of its chain (they stop at the rolling duration).
      Grant: Math.max(365 * DAY, ...clients.map((c) => c.refreshTokenRollingDuration + DAY)),
    },
    interactions: { url: (_ctx, interaction) => `${signOnPath}/${interaction.uid}` },
    clientBasedCORS: () => false,
    renderError: async (ctx, out) => {
      send(
        ctx,
        await errorPage(
          String(out.error),
          withCorrelationId(out.error_description as string | undefined),
        ),
      );
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      // Introspection reports a token of an ended session inactive, as PingOne's does.
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) => {
          if (!ownTokenOnly(ctx, client, token)) return false;
          const { extra } = token as { extra?: { sid?: unknown } };
          return token.kind === 'AccessToken'
            ? binding.holdsSid(extra?.sid, token.clientId)
            : binding.holds(token);
        },
      },
      // Only a custom resource's tokens with a session are revoked; see revocation.ts.
      revocation: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) =>
          ownTokenOnly(ctx, client, token) && revocable(token, catalog, binding),
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The signoff path itself is PingOne's (sign-off.ts); these pages are never reached.
        logoutSource: async (ctx) =>
          send(ctx, await errorPage('invalid_request', withCorrelationId(undefined))),
        postLogoutSuccessSource: async (ctx) =>
          send(ctx, await errorPage('invalid_request', withCorrelationId(undefined))),
      },
      resourceIndicators: {
        enabled: true,
        // PingOne has no `resource` parameter: the scopes name the resource.
        defaultResource: (ctx, client, oneOf) =>
          oneOf ??
          (workers.has(client.clientId)
            ? catalog.workerAudienceFor(requestedScope(ctx))
            : catalog.audienceFor(requestedScope(ctx))),
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, audience) => {
          const scopes = catalog.scopesOf(audience);
          if (!scopes) throw new errors.InvalidTarget();
          return {
            scope: scopes.join(' '),
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: tokenTtl.accessToken,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };

  const provider = createProvider(issuer, configuration);
  provider.use(
    signOff(provider, {
      sessions: binding.sessions,
      postLogoutRedirectUris: new Map(clients.map((c) => [c.clientId, c.postLogoutRedirectUris])),
      signedOutUrl: `${new URL(issuer).origin}${signOnPath}/signed-out?environmentId=${environment.id}`,
      sessionCookie: {
        name: provider.cookieName('session'),
        options: { httpOnly: true, sameSite: 'lax' },
      },
    }),
  );
  provider.use(issParameter(options.faults));
  provider.use(correlateErrors);
  provider.use(
    structuredTokens({ provider, catalog, binding, ledger, verify: input.verifyAccessToken }),
  );
  provider.use(reportGrantedScope);
  provider.use(holdRotatedRefreshes(refreshHoldsOf(options.faults)));
  provider.on('grant.success', grace.recordRotation);
  // Every authorization that signed a user on (or reused a sign-on) records its session.
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const { session } = ctx.oidc;
    if (session?.accountId && session.loginTs) {
      binding.sessions.signedOn(session.uid, session.loginTs, session.accountId);
    }
  });
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    console.error(`pingone-emulator: internal error in the authorization server: ${error.message}`);
  });
  return provider;
}
