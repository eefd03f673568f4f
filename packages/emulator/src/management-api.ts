import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { bearerToken, type AccessTokenClaims } from './access-tokens.js';
import type { Directory } from './accounts.js';
import { ORGANIZATION_ID, REGION } from './defaults.js';
import { apiErrorBody, type ApiErrorCode, type ApiErrorDetail } from './api-errors.js';
import { page, pageRequest } from './paging.js';
import type { RoleBook } from './roles.js';
import type { EmulatorFaults, EmulatorUser } from './types.js';

type Env = { Variables: { token: AccessTokenClaims } };

export interface ManagementApiInput {
  apiBaseUrl: string;
  environmentId: string;
  directory: Directory;
  faults: EmulatorFaults;
  verify: (token: string) => Promise<AccessTokenClaims | undefined>;
  /** When the environment (and its users) came to be: the emulator's start. */
  createdAt: string;
  roles: RoleBook;
  /** Environments listed besides the emulator's own (the `extraEnvironments` option). */
  extraEnvironments: readonly { id: string; name: string }[];
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
 */
export function managementApi(input: ManagementApiInput): Hono<Env> {
  const { apiBaseUrl, environmentId, directory, faults, verify, createdAt, roles } = input;
  const app = new Hono<Env>();
  const environments = [
    { id: environmentId, name: 'PingOne emulator' },
    ...input.extraEnvironments,
  ].map(environment);
  const environmentIds = new Set(environments.map((e) => e.id));

  function environment({ id, name }: { id: string; name: string }) {
    const href = `${apiBaseUrl}/v1/environments/${id}`;
    return {
      _links: {
        self: { href },
        organization: { href: `${apiBaseUrl}/v1/organizations/${ORGANIZATION_ID}` },
      },
      id,
      name,
      description: 'A local emulator of a PingOne environment — not PingOne.',
      organization: { id: ORGANIZATION_ID },
      type: 'SANDBOX',
      region: REGION,
      createdAt,
      updatedAt: createdAt,
    };
  }

  function user(record: EmulatorUser) {
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

  app.use('*', async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    const claims = token && (await verify(token));
    if (!claims) {
      c.header('WWW-Authenticate', 'Bearer realm="PingOne", error="invalid_token"');
      return apiError(c, 401, 'INVALID_TOKEN');
    }
    c.set('token', claims);
    return next();
  });

  app.get('/environments', (c) => {
    // PingOne's admin API: only a role assignment reads environments, never self-service scopes.
    const actor = roles.actor(c.get('token'));
    if (!roles.readsAnyEnvironment(actor)) return apiError(c, 403, 'ACCESS_FAILED');
    const request = pageRequest(c.req.query(), 500);
    if ('error' in request) return apiError(c, 400, 'INVALID_DATA', [request.error]);
    const visible = environments.filter((e) => roles.readsEnvironment(actor, e.id));
    return c.json(
      page(visible, request, { name: 'environments', href: `${apiBaseUrl}/v1/environments` }),
    );
  });

  // The users of an environment: an identity data role's, a page of at most 200 at a time.
  app.get('/environments/:environmentId/users', (c) => {
    const id = c.req.param('environmentId');
    if (!environmentIds.has(id)) return apiError(c, 404, 'NOT_FOUND');
    if (!roles.readsUsers(roles.actor(c.get('token')), id)) {
      return apiError(c, 403, 'ACCESS_FAILED');
    }
    const request = pageRequest(c.req.query(), USERS_PAGE_SIZE);
    if ('error' in request) return apiError(c, 400, 'INVALID_DATA', [request.error]);
    // Only the emulator's own environment has users; the extra ones are listed, and empty.
    const users = id === environmentId ? directory.all().map(user) : [];
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
    if (c.req.param('environmentId') !== environmentId) return apiError(c, 404, 'NOT_FOUND');
    const userId = c.req.param('userId');
    // Self-service scopes reach the signed-on user's own record and nothing else; an identity
    // data role (in a Worker application's token) reaches any user of its environments.
    const self = token.scope.split(' ').includes('p1:read:user') && userId === token.sub;
    if (!self && !roles.readsUsers(roles.actor(token), environmentId)) {
      return apiError(c, 403, 'ACCESS_FAILED');
    }
    const record = directory.byId(userId);
    return record ? c.json(user(record)) : apiError(c, 404, 'NOT_FOUND');
  });

  app.all('*', (c) => apiError(c, 404, 'NOT_FOUND'));
  return app;
}
