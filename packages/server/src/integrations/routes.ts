import { failure } from '../openapi-answers.js';
import { route } from '../routes.js';
import {
  createIntegrationBody,
  createdIntegration,
  deleteIntegrationQuery,
  integrationList,
  integrationParams,
  integrationView,
  listIntegrationsQuery,
  patchIntegrationBody,
  preflightResult,
  updatedIntegration,
} from '../schemas.js';
import {
  createIntegration,
  deleteIntegration,
  listIntegrations,
  preflightIntegration,
  readIntegration,
  updateIntegration,
} from './manage.js';

const notFound = failure('integration_not_found');
const unauthorized = failure('unauthorized');
const badRequest = failure('invalid_request');
const invalid = failure(
  'integration_invalid: a preflight check failed; details.checks lists every check. Nothing was stored.',
);

/** Tenants at run time (DESIGN §4.8), for the integrator's backend. */
export const integrationRoutes = [
  route({
    method: 'post',
    path: '/integrations',
    summary: 'Add a customer’s PingOne application, after checking it (the preflight).',
    security: 'secretKey',
    body: { schema: createIntegrationBody },
    answers: {
      201: { description: 'Created; its preflight passed.', schema: createdIntegration },
      400: failure('invalid_request: e.g. a custom_domain not in PINGONE_CUSTOM_DOMAINS'),
      401: unauthorized,
      409: failure('conflict: the id exists (configured or made through the API)'),
      422: invalid,
    },
    handler:
      (services) =>
      async (c, { body }) =>
        c.json(await createIntegration(services, body), 201),
  }),
  route({
    method: 'get',
    path: '/integrations',
    summary: 'List the integrations, configured and made through the API, by id.',
    security: 'secretKey',
    query: listIntegrationsQuery,
    answers: {
      200: { description: 'One page of integrations.', schema: integrationList },
      400: badRequest,
      401: unauthorized,
    },
    handler:
      (services) =>
      async (c, { query }) =>
        c.json(await listIntegrations(services, query)),
  }),
  route({
    method: 'get',
    path: '/integrations/:id',
    summary: 'An integration (never its client secret).',
    security: 'secretKey',
    params: integrationParams,
    answers: {
      200: { description: 'The integration.', schema: integrationView },
      400: badRequest,
      401: unauthorized,
      404: notFound,
    },
    handler:
      (services) =>
      async (c, { params }) =>
        c.json(await readIntegration(services, params.id)),
  }),
  route({
    method: 'patch',
    path: '/integrations/:id',
    summary:
      'Change the client secret, scopes, display name or auth method; a new secret or auth method is checked first.',
    security: 'secretKey',
    params: integrationParams,
    body: { schema: patchIntegrationBody },
    answers: {
      200: { description: 'The integration as changed.', schema: updatedIntegration },
      400: badRequest,
      401: unauthorized,
      404: notFound,
      409: failure('conflict: a configured integration (read-only), or changed meanwhile'),
      422: invalid,
    },
    handler:
      (services) =>
      async (c, { params, body }) =>
        c.json(await updateIntegration(services, params.id, body)),
  }),
  route({
    method: 'delete',
    path: '/integrations/:id',
    summary:
      'Delete an integration; with delete_connections=true, disconnect its connections first.',
    security: 'secretKey',
    params: integrationParams,
    query: deleteIntegrationQuery,
    answers: {
      204: { description: 'Deleted.' },
      400: badRequest,
      401: unauthorized,
      404: notFound,
      409: failure('conflict: it still has connections, or it is configured (read-only)'),
    },
    handler:
      (services) =>
      async (c, { params, query }) => {
        await deleteIntegration(services, params.id, query.delete_connections === 'true');
        return c.body(null, 204);
      },
  }),
  route({
    method: 'post',
    path: '/integrations/:id/preflight',
    summary: 'Run the checks again on the integration’s current settings and report them.',
    security: 'secretKey',
    params: integrationParams,
    answers: {
      200: {
        description: 'The checks; ok is false when one failed (the integration is unchanged).',
        schema: preflightResult,
      },
      400: badRequest,
      401: unauthorized,
      404: notFound,
    },
    handler:
      (services) =>
      async (c, { params }) =>
        c.json(await preflightIntegration(services, params.id)),
  }),
];
