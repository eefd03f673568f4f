import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { accessTokenVerifier, anyAccessTokenVerifier } from './access-tokens.js';
import { Directory } from './accounts.js';
import { approve, signOff } from './approve.js';
import { CookieJar } from './cookie-jar.js';
import { createAuthorizationServer, ROUTES } from './authorization-server.js';
import { oauthError } from './correlation-id.js';
import { refreshHoldsOf } from './faults.js';
import { jwtUserinfo } from './jwt-userinfo.js';
import { managementApi } from './management-api.js';
import { createOidcBridge } from './oidc-bridge.js';
import { resolveOptions } from './options.js';
import type { Provider } from './quiet-oidc-provider.js';
import { AccessTokenLedger } from './revocation.js';
import { RoleBook } from './roles.js';
import { ScopeCatalog } from './scopes.js';
import { signOnRoutes } from './sign-on-routes.js';
import { SessionBinding, SignOnSessions } from './sign-on-sessions.js';
import { TokenCounter } from './token-counter.js';
import type { Emulator, EmulatorOptions } from './types.js';

const HOST = '127.0.0.1';

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections (browsers, fetch) would hold close() open for seconds.
    server.closeAllConnections();
  });
}

/** A fresh RS256 key pair for this run, as the private JWK oidc-provider signs with and its public half. */
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

/**
 * Starts a PingOne-shaped OpenID Provider and Management API slice on 127.0.0.1.
 * Misuse (a bad option) throws `TypeError` before anything listens.
 */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const { environmentId, faults } = resolved;
  const keys = await signingKeys();
  const server = createServer();
  const port = await listen(server, resolved.port);

  const origin = `http://${HOST}:${port}`;
  const issuerPath = `/${environmentId}/as`;
  const issuer = `${origin}${issuerPath}`;
  const apiBaseUrl = origin;
  const directory = new Directory(resolved.users);
  const counter = new TokenCounter();
  const closing = new AbortController();

  let provider: Provider | undefined;
  // A session that ends before its time also ends single sign-on in its browser.
  const sessions = new SignOnSessions(resolved.signOnSessionTtl, ({ browserUid, loginTs }) => {
    void provider?.Session.findByUid(browserUid)
      .then((session) => (session?.loginTs === loginTs ? session.destroy() : undefined))
      .catch(() => {});
  });
  const binding = new SessionBinding(
    sessions,
    resolved.clients.filter((c) => c.skipTokenSessionValidation).map((c) => c.clientId),
  );

  try {
    provider = createAuthorizationServer({
      issuer,
      signOnPath: `/${environmentId}/signon`,
      options: resolved,
      directory,
      catalog: new ScopeCatalog(apiBaseUrl, resolved.customResources),
      signingKey: keys.privateJwk,
      binding,
      ledger: new AccessTokenLedger(),
      verifyAccessToken: anyAccessTokenVerifier({ publicKey: keys.publicJwk, issuer }),
    });
  } catch (error) {
    await stop(server);
    throw error;
  }

  const verifySignature = accessTokenVerifier({
    publicKey: keys.publicJwk,
    issuer,
    audience: apiBaseUrl,
    environmentId,
  });
  // Access tokens obtained through a user grant die with the sign-on session (token-validation).
  const verify = async (token: string) => {
    const claims = await verifySignature(token);
    return claims && binding.holdsSid(claims.sid, claims.client_id) ? claims : undefined;
  };
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.route(
    `/${environmentId}/signon`,
    signOnRoutes({ provider, directory, faults, autoApprove: resolved.autoApprove }),
  );
  app.route(
    '/v1',
    managementApi({
      apiBaseUrl,
      environmentId,
      directory,
      faults,
      verify,
      createdAt: new Date().toISOString(),
      extraEnvironments: resolved.extraEnvironments,
      roles: new RoleBook(
        new Map(resolved.clients.map((c) => [c.clientId, c.applicationType])),
        resolved.users,
      ),
    }),
  );
  app.notFound((c) => c.json(oauthError('not_found', 'Nothing is served at this path.'), 404));
  app.onError((error, c) => {
    console.error(
      `pingone-emulator: internal error on ${c.req.method} ${c.req.path}: ${error.message}`,
    );
    return c.json(oauthError('server_error'), 500);
  });

  const pagesAndApi = getRequestListener(app.fetch, { overrideGlobalObjects: false });
  const authMethods = new Map(resolved.clients.map((c) => [c.clientId, c.tokenEndpointAuthMethod]));
  const toProvider = createOidcBridge({
    provider,
    issuerPath,
    paths: {
      token: ROUTES.token,
      revocation: ROUTES.revocation,
      introspection: ROUTES.introspection,
      userinfo: ROUTES.userinfo,
    },
    userinfo: jwtUserinfo(verify, directory),
    authMethodOf: (clientId) => authMethods.get(clientId),
    faults,
    counter,
    closing: closing.signal,
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!toProvider(req, res)) void pagesAndApi(req, res);
  });

  const clients = resolved.clients.map((client) => ({
    ...client,
    redirectUris: [...client.redirectUris],
  }));
  const users = resolved.users.map((user) => ({ ...user }));
  let closed: Promise<void> | undefined;
  return {
    issuer,
    authBaseUrl: issuer,
    apiBaseUrl,
    environmentId,
    port,
    clients,
    users,
    faults,
    tokenRequests: (grantType) => counter.count(grantType),
    resetCounters: () => counter.reset(),
    sessions: () => sessions.list(),
    endSession: (id) => sessions.end(id, 'deleted'),
    approve: (authorizeUrl, approveOptions) =>
      approve(
        { origin, environmentPath: `/${environmentId}/`, users: resolved.users },
        authorizeUrl,
        approveOptions,
      ),
    browser: () => {
      const input = {
        origin,
        environmentPath: `/${environmentId}/`,
        users: resolved.users,
        jar: new CookieJar(),
        issuer,
      };
      return {
        approve: (authorizeUrl, approveOptions) => approve(input, authorizeUrl, approveOptions),
        signOff: (parameters) => signOff(input, parameters),
      };
    },
    close: () => {
      closing.abort();
      refreshHoldsOf(faults).close();
      closed ??= stop(server);
      return closed;
    },
  };
}
