import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@pingone-connect/protocol';
import { z } from 'zod';
import { attemptRoutes } from './attempts/routes.js';
import { connectionRoutes } from './connections/routes.js';
import { integrationRoutes } from './integrations/routes.js';
import { healthRoute } from './health.js';
import { journalRoutes } from './journal/routes.js';
import { oauthRoutes } from './oauth/routes.js';
import { proxyRoutes } from './proxy/routes.js';
import { route, type AnyRoute } from './routes.js';
import { connectFailedEvent, connectionEvent } from './schemas.js';
import { linkRoutes } from './links/routes.js';
import { sessionRoutes } from './session/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

/** `GET /openapi.json`: the document below, built once per public URL. */
export const openApiRoute = route({
  method: 'get',
  path: '/openapi.json',
  summary: 'This document.',
  security: 'none',
  answers: { 200: { description: 'OpenAPI 3.1.' } },
  handler: ({ config }) => {
    const document = openApiDocument(config.publicUrl);
    return (c) => c.json(document);
  },
});

/**
 * Every route of the app, in one place. `createApp` mounts exactly these, area by area, and
 * `GET /openapi.json` is generated from them.
 */
export const API_ROUTES: readonly AnyRoute[] = [
  ...sessionRoutes,
  ...oauthRoutes,
  ...linkRoutes,
  ...attemptRoutes,
  ...connectionRoutes,
  ...integrationRoutes,
  ...journalRoutes,
  ...webhookRoutes,
  ...proxyRoutes,
  healthRoute,
  openApiRoute,
];

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function parameters(where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined) {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));
}

function operation(declared: AnyRoute) {
  const responses = Object.fromEntries(
    Object.entries(declared.answers).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        ...(answer.schema
          ? { content: { 'application/json': { schema: jsonSchema(answer.schema, 'output') } } }
          : answer.html
            ? { content: { 'text/html': { schema: { type: 'string' } } } }
            : {}),
      },
    ]),
  );
  const body =
    declared.body &&
    ('passthrough' in declared.body
      ? { required: false, content: { '*/*': {} } }
      : {
          required: true,
          content: {
            [declared.body.form ? 'application/x-www-form-urlencoded' : 'application/json']: {
              schema: jsonSchema(declared.body.schema, 'input'),
            },
          },
        });
  const params = [
    ...parameters('path', declared.params),
    ...parameters('query', declared.query),
    ...parameters('header', declared.headers),
  ];
  return {
    summary: declared.summary,
    security: declared.security === 'none' ? [] : [{ [declared.security]: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.json`. */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const declared of API_ROUTES) {
    // `/proxy/*` becomes `/proxy/{path}`: OpenAPI has no wildcard, only a parameter.
    const path = declared.path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{path}');
    paths[path] = { ...paths[path], [declared.method]: operation(declared) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'pingone-connect server',
      version: '0.1.0',
      description:
        'Connect sessions, the PingOne authorization-code flow, stored connections, the PingOne API proxy and the operations log.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A backend secret key (SECRET_KEYS).',
        },
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A connect session token.',
        },
      },
    },
    paths,
    // What the server sends to WEBHOOK_URL (DESIGN §4.7), signed as Standard Webhooks.
    webhooks: Object.fromEntries(
      WEBHOOK_EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            summary: WEBHOOK_SUMMARIES[type],
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(
                    type === 'connect.failed' ? connectFailedEvent : connectionEvent,
                    'output',
                  ),
                },
              },
            },
            responses: { '2XX': { description: 'Received; any other answer is retried.' } },
          },
        },
      ]),
    ),
  };
}

/** What each webhook event says happened. */
const WEBHOOK_SUMMARIES: Readonly<Record<WebhookEventType, string>> = {
  'connection.created': 'An end user connected a PingOne account.',
  'connection.updated': 'An end user connected the same PingOne account again.',
  'connection.deleted':
    'A connection was deleted; revoked and not_revocable say what PingOne revoked.',
  'connection.refresh_failed':
    'PingOne refused the refresh token: the connection is needs_reauth, status_reason says why.',
  'connection.expiring':
    'reauth_by is EXPIRING_NOTICE_DAYS away: send the end user a reconnect session or link.',
  'connect.failed':
    'An end user’s attempt ended in an error (error.code says which); never for popup_closed.',
};
