import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { accessTokenVerifier, anyAccessTokenVerifier } from './access-tokens.js';
import { Directory } from './accounts.js';
import { approve, signOff } from './approve.js';
import { createAuthorizationServer, ROUTES } from './authorization-server.js';
import { ClientSecrets } from './client-secrets.js';
import { CookieJar } from './cookie-jar.js';
import { jwtUserinfo } from './jwt-userinfo.js';
import type { ApiTenant } from './management-api.js';
import { createOidcBridge } from './oidc-bridge.js';
import type { ResolvedEnvironment, ResolvedOptions } from './options.js';
import type { Provider } from './quiet-oidc-provider.js';
import { AccessTokenLedger } from './revocation.js';
import { RoleBook } from './roles.js';
import { ScopeCatalog } from './scopes.js';
import { signOnRoutes } from './sign-on-routes.js';
import { SessionBinding, SignOnSessions } from './sign-on-sessions.js';
import { TokenCounter } from './token-counter.js';
import type { EmulatorEnvironment } from './types.js';

/** A fresh RS256 key pair, as the private JWK oidc-provider signs with and its public half. */
async function signingKeys(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const kid = randomUUID();
  const common = { kid, alg: 'RS256', use: 'sig' };
  return {
    privateJwk: { ...(await exportJWK(privateKey)), ...common },
    publicJwk: { ...(await exportJWK(publicKey)), ...common },
  };
}

export interface EnvironmentInput {
  /** `http://127.0.0.1:{port}`: the issuer's origin and the Management API's base URL. */
  origin: string;
  environment: ResolvedEnvironment;
  options: ResolvedOptions;
  /** Aborted when the emulator closes: ends delayed responses. */
  closing: AbortSignal;
}

/** One running environment: the parts the emulator's server routes to, and its accessors. */
export interface EmulatedEnvironment {
  accessors: EmulatorEnvironment;
  /** Serves a request under this environment's issuer; false for any other request. */
  serve: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Where {@link signOn} is mounted: `/{id}/signon`. */
  signOnPath: string;
  signOn: Hono<{ Bindings: HttpBindings }>;
  /** This environment as the Management API sees it. */
  tenant: Omit<ApiTenant, 'extraEnvironments'>;
}

/**
 * Builds one PingOne environment: an oidc-provider instance of its own under `/{id}/as`, with its
 * own signing key, clients, users, sign-on sessions and token counter. Nothing is shared with
 * another environment but the HTTP server and the fault switches, so a token, code or client of
 * one is unknown to every other: another environment's client gets `401 invalid_client` at the
 * token endpoint, and its code or refresh token `400 invalid_grant` (RFC 6749 §5.2: "unknown
 * client", "invalid, expired, revoked … or was issued to another client"); its access token is
 * refused at UserInfo (`401 invalid_token`) and introspected inactive. No PingOne page found
 * describes a token crossing environments; these are the standard answers, which PingOne's token
 * endpoint uses for the same errors within one environment.
 */
export async function createEnvironment(input: EnvironmentInput): Promise<EmulatedEnvironment> {
  const { origin, environment, options, closing } = input;
  const { id } = environment;
  const keys = await signingKeys();
  const issuerPath = `/${id}/as`;
  const issuer = `${origin}${issuerPath}`;
  const signOnPath = `/${id}/signon`;
  const directory = new Directory(environment.users);
  const counter = new TokenCounter();

  let provider: Provider | undefined;
  // A session that ends before its time also ends single sign-on in its browser.
  const sessions = new SignOnSessions(options.signOnSessionTtl, ({ browserUid, loginTs }) => {
    void provider?.Session.findByUid(browserUid)
      .then((session) => (session?.loginTs === loginTs ? session.destroy() : undefined))
      .catch(() => {});
  });
  const binding = new SessionBinding(
    sessions,
    environment.clients.filter((c) => c.skipTokenSessionValidation).map((c) => c.clientId),
  );
  const secrets = new ClientSecrets(environment.clients);
  provider = createAuthorizationServer({
    innerSecretOf: (client) => secrets.innerSecretOf(client),
    issuer,
    signOnPath,
    options,
    environment,
    directory,
    catalog: new ScopeCatalog(origin, environment.customResources),
    signingKey: keys.privateJwk,
    binding,
    ledger: new AccessTokenLedger(),
    verifyAccessToken: anyAccessTokenVerifier({ publicKey: keys.publicJwk, issuer }),
  });

  const verifySignature = accessTokenVerifier({
    publicKey: keys.publicJwk,
    issuer,
    audience: origin,
    environmentId: id,
  });
  // Access tokens obtained through a user grant die with the sign-on session (token-validation).
  const verify = async (token: string) => {
    const claims = await verifySignature(token);
    return claims && binding.holdsSid(claims.sid, claims.client_id) ? claims : undefined;
  };

  const authMethods = new Map(
    environment.clients.map((c) => [c.clientId, c.tokenEndpointAuthMethod]),
  );
  const serve = createOidcBridge({
    provider,
    issuerPath,
    paths: {
      token: ROUTES.token,
      revocation: ROUTES.revocation,
      introspection: ROUTES.introspection,
      par: ROUTES.pushed_authorization_request,
      userinfo: ROUTES.userinfo,
    },
    secrets,
    userinfo: jwtUserinfo(verify, directory),
    authMethodOf: (clientId) => authMethods.get(clientId),
    faults: options.faults,
    counter,
    closing,
  });

  const walk = { origin, environmentPath: `/${id}/`, users: environment.users };
  const clients = environment.clients.map((client) => ({
    ...client,
    redirectUris: [...client.redirectUris],
  }));
  const accessors: EmulatorEnvironment = {
    id,
    issuer,
    authBaseUrl: issuer,
    apiBaseUrl: origin,
    organizationId: environment.organizationId,
    clients,
    rotateClientSecret: (clientId, rotateOptions) => {
      const secret = secrets.rotate(clientId, rotateOptions);
      // The listed client shows its secret as the console does: the current one.
      const listed = clients.find((c) => c.clientId === clientId);
      if (listed) listed.clientSecret = secret;
      return secret;
    },
    revokePreviousClientSecret: (clientId) => secrets.revokePrevious(clientId),
    users: environment.users.map((user) => ({ ...user })),
    tokenRequests: (grantType) => counter.count(grantType),
    resetCounters: () => counter.reset(),
    sessions: () => sessions.list(),
    endSession: (sessionId) => sessions.end(sessionId, 'deleted'),
    approve: (authorizeUrl, approveOptions) => approve(walk, authorizeUrl, approveOptions),
    browser: () => {
      const browser = { ...walk, jar: new CookieJar(), issuer };
      return {
        approve: (authorizeUrl, approveOptions) => approve(browser, authorizeUrl, approveOptions),
        signOff: (parameters) => signOff(browser, parameters),
      };
    },
  };

  return {
    accessors,
    serve,
    signOnPath,
    signOn: signOnRoutes({
      provider,
      directory,
      faults: options.faults,
      autoApprove: options.autoApprove,
    }),
    tenant: {
      environmentId: id,
      organizationId: environment.organizationId,
      directory,
      verify,
      roles: new RoleBook(
        new Map(environment.clients.map((c) => [c.clientId, c.applicationType])),
        environment.users,
      ),
    },
  };
}
