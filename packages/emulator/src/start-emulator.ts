import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { oauthError } from './correlation-id.js';
import { createEnvironment, type EmulatedEnvironment } from './emulated-environment.js';
import { refreshHoldsOf } from './faults.js';
import { managementApi } from './management-api.js';
import { resolveOptions } from './options.js';
import type { Emulator, EmulatorEnvironment, EmulatorOptions } from './types.js';

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

/** The environment whose paths (`/{id}/…`) an authorization URL is under, else the first. */
function environmentOfUrl(
  environments: readonly EmulatorEnvironment[],
  url: string | URL,
): EmulatorEnvironment {
  const pathname = URL.parse(String(url))?.pathname ?? '';
  return environments.find((e) => pathname.startsWith(`/${e.id}/`)) ?? environments[0]!;
}

/** The environment a client is registered in; `TypeError` when none has it. */
function environmentOfClient(
  environments: readonly EmulatorEnvironment[],
  clientId: string,
): EmulatorEnvironment {
  const found = environments.find((e) => e.clients.some((c) => c.clientId === clientId));
  if (!found) throw new TypeError(`emulator: no client ${clientId}`);
  return found;
}

/**
 * Starts a PingOne-shaped OpenID Provider and Management API slice on 127.0.0.1, with one or
 * more environments. Misuse (a bad option) throws `TypeError` before anything listens.
 */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const { faults } = resolved;
  const server = createServer();
  const port = await listen(server, resolved.port);
  const origin = `http://${HOST}:${port}`;
  const closing = new AbortController();

  let parts: EmulatedEnvironment[];
  try {
    parts = await Promise.all(
      resolved.environments.map((environment) =>
        createEnvironment({ origin, environment, options: resolved, closing: closing.signal }),
      ),
    );
  } catch (error) {
    await stop(server);
    throw error;
  }

  const app = new Hono<{ Bindings: HttpBindings }>();
  for (const part of parts) app.route(part.signOnPath, part.signOn);
  app.route(
    '/v1',
    managementApi({
      apiBaseUrl: origin,
      faults,
      createdAt: new Date().toISOString(),
      // The generated environments of `extraEnvironments` belong to the first one's organization.
      tenants: parts.map((part, i) => ({
        ...part.tenant,
        extraEnvironments: i === 0 ? resolved.extraEnvironments : [],
      })),
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
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!parts.some((part) => part.serve(req, res))) void pagesAndApi(req, res);
  });

  const environments = parts.map((part) => part.accessors);
  const [first] = environments as [EmulatorEnvironment, ...EmulatorEnvironment[]];
  let closed: Promise<void> | undefined;
  return {
    issuer: first.issuer,
    authBaseUrl: first.authBaseUrl,
    apiBaseUrl: origin,
    environmentId: first.id,
    port,
    clients: first.clients,
    users: first.users,
    environments,
    environment: (id) => {
      const found = environments.find((e) => e.id === id.toLowerCase());
      if (!found) throw new TypeError(`emulator: no environment ${id}`);
      return found;
    },
    faults,
    tokenRequests: (grantType) =>
      environments.reduce((sum, e) => sum + e.tokenRequests(grantType), 0),
    resetCounters: () => environments.forEach((e) => e.resetCounters()),
    sessions: () => environments.flatMap((e) => e.sessions()),
    endSession: (id) => environments.some((e) => e.endSession(id)),
    // Client ids are unique across environments, so the client names its environment.
    rotateClientSecret: (clientId, rotateOptions) =>
      environmentOfClient(environments, clientId).rotateClientSecret(clientId, rotateOptions),
    revokePreviousClientSecret: (clientId) =>
      environmentOfClient(environments, clientId).revokePreviousClientSecret(clientId),
    approve: (authorizeUrl, approveOptions) =>
      environmentOfUrl(environments, authorizeUrl).approve(authorizeUrl, approveOptions),
    browser: () => first.browser(),
    close: () => {
      closing.abort();
      refreshHoldsOf(faults).close();
      closed ??= stop(server);
      return closed;
    },
  };
}
