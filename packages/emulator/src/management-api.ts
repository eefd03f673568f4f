import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { bearerToken, type AccessTokenClaims } from './access-tokens.js';
import type { Directory } from './accounts.js';
import { REGION } from './defaults.js';
import { apiErrorBody, type ApiErrorCode, type ApiErrorDetail } from './api-errors.js';
import { page, pageRequest } from './paging.js';
import type { RoleBook } from './roles.js';
import type { EmulatorFaults, EmulatorUser } from './types.js';

/** One emulated environment (with an issuer) as the Management API sees it. */
export interface ApiTenant {
  environmentId: string;
  organizationId: string;
  directory: Directory;
  roles: RoleBook;
  /** The claims of an access token this environment issued and still honours, else undefined. */
  verify: (token: string) => Promise<AccessTokenClaims | undefined>;
  /** Environments listed in its organization besides itself, without users (`extraEnvironments`). */
  extraEnvironments: readonly { id: string; name: string }[];
}

type Env = { Variables: { token: AccessTokenClaims; tenant: ApiTenant } };

export interface ManagementApiInput {
  apiBaseUrl: string;
  faults: EmulatorFaults;
  /** When the environments (and their users) came to be: the emulator's start. */
  createdAt: string;
  tenants: readonly ApiTenant[];
}

/** The page size of the users collection, after PingOne's paging page ("page size limit of 200"). */
const USERS_PAGE_SIZE = 200;

/** A fixed id for a part of PingOne the slice mentions but does not model. */
const POPULATION_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: ApiErrorCode,
  details?: ApiErrorDetail[],
): Response {
  return c.json(apiErrorBody(code, details), status);
}

/**
 * The slice of the PingOne Management API that the kit calls, at `{apiBaseUrl}/v1`: the
 * environment list (the PingOne quickstart's first call) and the signed-on user's own record.
 *
 * Every environment with an issuer stands for another customer's PingOne, in an organization of
 * its own: a token reaches its own environment (and the generated ones listed with it) and
 * nothing else. No PingOne page found says what the API answers a token presented for an
 * environment of another organization; the emulator answers as to an invalid token (401
 * `INVALID_TOKEN`), the reading that tells a caller the least.
 */
export function managementApi(input: ManagementApiInput): Hono<Env> {
  const { apiBaseUrl, faults, createdAt, tenants } = input;
  const app = new Hono<Env>();
  /** The environments each tenant's tokens reach: its own first, then its generated ones. */
  const reach = new Map(
    tenants.map((tenant) => [
      tenant,
      [{ id: tenant.environmentId, name: 'PingOne emulator' }, ...tenant.extraEnvironments].map(
        (e) => environment(e, tenant.organizationId),
      ),
    ]),
  );
  const allEnvironmentIds = new Set([...reach.values()].flat().map((e) => e.id));
  const reachOf = (tenant: ApiTenant) => reach.get(tenant) ?? [];
  const reaches = (tenant: ApiTenant, id: string) => reachOf(tenant).some((e) => e.id === id);

  function environment({ id, name }: { id: string; name: string }, organizationId: string) {
    const href = `${apiBaseUrl}/v1/environments/${id}`;
    return {
      _links: {
        self: { href },
        organization: { href: `${apiBaseUrl}/v1/organizations/${organizationId}` },
      },
      id,
      name,
      description: 'A local emulator of a PingOne environment — not PingOne.',
      organization: { id: organizationId },
      type: 'SANDBOX',
      region: REGION,
      createdAt,
      updatedAt: createdAt,
    };
  }

  function user(record: EmulatorUser, environmentId: string) {
    return {
      _links: {
        self: { href: `${apiBaseUrl}/v1/environments/${environmentId}/users/${record.id}` },
      },
      id: record.id,
      environment: { id: environmentId },
      account: { canAuthenticate: true, status: 'OK' },
      createdAt,
      email: record.email,
      enabled: true,
      identityProvider: { type: 'PING_ONE' },
      lifecycle: { status: 'ACCOUNT_OK' },
      mfaEnabled: false,
      name: {
        given: record.givenName,
        family: record.familyName,
        formatted: `${record.givenName} ${record.familyName}`,
      },
      population: { id: POPULATION_ID },
      updatedAt: createdAt,
      username: record.username,
      verifyStatus: 'NOT_INITIATED',
    };
  }

  // PingOne limits at its edge, before it looks at the token.
  app.use('*', async (c, next) => {
    const limit = faults.apiRateLimit;
    if (!limit) return next();
    c.header('Retry-After', String(limit.retryAfter));
    return apiError(c, 429, 'REQUEST_LIMITED');
  });

  function invalidToken(c: Context<Env>): Response {
    c.header('WWW-Authenticate', 'Bearer realm="PingOne", error="invalid_token"');
    return apiError(c, 401, 'INVALID_TOKEN');
  }

  async function tenantOf(token: string) {
    for (const tenant of tenants) {
      const claims = await tenant.verify(token);
      if (claims) return { tenant, claims };
    }
    return undefined;
  }

  app.use('*', async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    const found = token && (await tenantOf(token));
    if (!found) return invalidToken(c);
    c.set('token', found.claims);
    c.set('tenant', found.tenant);
    return next();
  });

  // A path naming an environment outside the token's organization: refused as invalid token.
  app.use('/environments/:environmentId/*', async (c, next) => {
    const id = c.req.param('environmentId');
    if (!reaches(c.get('tenant'), id) && allEnvironmentIds.has(id)) return invalidToken(c);
    return next();
  });

  app.get('/environments', (c) => {
    // PingOne's admin API: only a role assignment reads environments, never self-service scopes.
    const tenant = c.get('tenant');
    const { roles } = tenant;
    const actor = roles.actor(c.get('token'));
    if (!roles.readsAnyEnvironment(actor)) return apiError(c, 403, 'ACCESS_FAILED');
    const request = pageRequest(c.req.query(), 500);
    if ('error' in request) return apiError(c, 400, 'INVALID_DATA', [request.error]);
    const visible = reachOf(tenant).filter((e) => roles.readsEnvironment(actor, e.id));
    return c.json(
      page(visible, request, { name: 'environments', href: `${apiBaseUrl}/v1/environments` }),
    );
  });

  // The users of an environment: an identity data role's, a page of at most 200 at a time.
  app.get('/environments/:environmentId/users', (c) => {
    const id = c.req.param('environmentId');
    const tenant = c.get('tenant');
    const { roles } = tenant;
    if (!reaches(tenant, id)) return apiError(c, 404, 'NOT_FOUND');
    if (!roles.readsUsers(roles.actor(c.get('token')), id)) {
      return apiError(c, 403, 'ACCESS_FAILED');
    }
    const request = pageRequest(c.req.query(), USERS_PAGE_SIZE);
    if ('error' in request) return apiError(c, 400, 'INVALID_DATA', [request.error]);
    // Only an environment with an issuer has users; the generated ones are listed, and empty.
    const users = id === tenant.environmentId ? tenant.directory.all().map((u) => user(u, id)) : [];
    return c.json(
      page(users, request, {
        name: 'users',
        href: `${apiBaseUrl}/v1/environments/${id}/users`,
        pageSize: USERS_PAGE_SIZE,
      }),
    );
  });

  app.get('/environments/:environmentId/users/:userId', (c) => {
    const token = c.get('token');
    const { environmentId, directory, roles } = c.get('tenant');
    if (c.req.param('environmentId') !== environmentId) return apiError(c, 404, 'NOT_FOUND');
    const userId = c.req.param('userId');
    // Self-service scopes reach the signed-on user's own record and nothing else; an identity
    // data role (in a Worker application's token) reaches any user of its environments.
    const self = token.scope.split(' ').includes('p1:read:user') && userId === token.sub;
    if (!self && !roles.readsUsers(roles.actor(token), environmentId)) {
      return apiError(c, 403, 'ACCESS_FAILED');
    }
    const record = directory.byId(userId);
    return record ? c.json(user(record, environmentId)) : apiError(c, 404, 'NOT_FOUND');
  });

  app.all('*', (c) => apiError(c, 404, 'NOT_FOUND'));
  return app;
}
