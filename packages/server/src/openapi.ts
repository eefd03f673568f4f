import { z } from 'zod';
import {
  attemptParams,
  attemptStatus,
  callbackQuery,
  connectForm,
  connectQuery,
  connectionDetail,
  connectionList,
  connectionParams,
  createSessionBody,
  createSessionResponse,
  errorResponse,
  health,
  listConnectionsQuery,
  readConnectionQuery,
  listLogsQuery,
  logList,
  proxyHeaders,
  proxyParams,
  sessionParams,
} from './schemas.js';
import { PROXY_METHODS } from './proxy/forward.js';

type Security = 'secretKey' | 'sessionToken' | 'none';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Answer {
  readonly description: string;
  /** JSON body; HTML and empty answers have none. */
  readonly schema?: z.ZodType;
  readonly html?: true;
}

/** One route of the HTTP API as documented. */
export interface RouteDoc {
  readonly method: Method;
  /** Hono-style path, e.g. `/connections/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly security: Security;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly headers?: z.ZodObject;
  /** A JSON or form body; `passthrough` for bodies of any type that go on to PingOne, if any. */
  readonly body?:
    { readonly schema: z.ZodType; readonly form?: true } | { readonly passthrough: true };
  readonly answers: Readonly<Record<number, Answer>>;
}

const popupPage: Answer = {
  description: 'The result page (HTML) with the coded error.',
  html: true,
};
const failure = (description: string): Answer => ({ description, schema: errorResponse });

/**
 * Every route of the app, in one place. `createApp` registers exactly these (a test checks
 * both directions) and `GET /openapi.json` is generated from them.
 */
export const API_ROUTES: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/connect/sessions',
    summary: 'Mint a connect session token for the element.',
    security: 'secretKey',
    body: { schema: createSessionBody },
    answers: {
      201: { description: 'The session token.', schema: createSessionResponse },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
      403: failure('forbidden_origin: an origin outside ALLOWED_ORIGINS'),
      404: failure('connection_not_found: the reconnect connection'),
    },
  },
  {
    method: 'delete',
    path: '/connect/sessions/:jti',
    summary: 'Revoke a session that has not connected yet.',
    security: 'secretKey',
    params: sessionParams,
    answers: {
      204: { description: 'Revoked (or already revoked).' },
      401: failure('unauthorized'),
      404: failure('session_invalid: no such session'),
      409: failure('session_used: it already made its connection'),
    },
  },
  {
    method: 'post',
    path: '/oauth/connect',
    summary: 'Start the PingOne sign-in in the popup (form post from the element).',
    security: 'none',
    query: connectQuery,
    body: { schema: connectForm, form: true },
    answers: {
      303: { description: 'To PingOne’s authorize endpoint; sets the browser-binding cookie.' },
      400: popupPage,
      401: popupPage,
      403: popupPage,
      409: popupPage,
      413: popupPage,
      429: popupPage,
      503: popupPage,
    },
  },
  {
    method: 'get',
    path: '/oauth/callback',
    summary: 'PingOne’s redirect: finish the flow and post the result to the opener.',
    security: 'none',
    query: callbackQuery,
    answers: {
      200: { description: 'The result page (HTML) posting the success message.', html: true },
      400: popupPage,
      403: popupPage,
      409: popupPage,
      429: popupPage,
      502: popupPage,
      503: popupPage,
    },
  },
  {
    method: 'get',
    path: '/connect/attempts/:attempt_id',
    summary: 'How an attempt ended, for the element when the popup closed silently.',
    security: 'sessionToken',
    params: attemptParams,
    answers: {
      200: { description: 'The attempt’s status.', schema: attemptStatus },
      401: failure('session_invalid or session_expired'),
      403: failure('forbidden_origin'),
      404: failure('no such attempt for this session'),
      429: failure('rate_limited'),
    },
  },
  {
    method: 'get',
    path: '/connections',
    summary: 'List connections, newest first.',
    security: 'secretKey',
    query: listConnectionsQuery,
    answers: {
      200: { description: 'One page of connections.', schema: connectionList },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
    },
  },
  {
    method: 'get',
    path: '/connections/:id',
    summary:
      'A connection with its decrypted credentials, refreshed first when they expire within 5 minutes.',
    security: 'secretKey',
    params: connectionParams,
    query: readConnectionQuery,
    answers: {
      200: { description: 'The connection.', schema: connectionDetail },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
      404: failure('connection_not_found'),
      502: failure(
        'refresh_failed: PingOne refused the refresh token (the connection is now needs_reauth)',
      ),
      503: failure('provider_unavailable: PingOne did not answer the refresh in time'),
    },
  },
  {
    method: 'delete',
    path: '/connections/:id',
    summary: 'Revoke the connection’s tokens at PingOne and delete it.',
    security: 'secretKey',
    params: connectionParams,
    answers: {
      204: { description: 'Deleted (a failed revocation is logged, not returned).' },
      401: failure('unauthorized'),
      404: failure('connection_not_found'),
    },
  },
  {
    method: 'get',
    path: '/logs',
    summary: 'The operations log, newest first: flows, refreshes, proxied calls, webhooks.',
    security: 'secretKey',
    query: listLogsQuery,
    answers: {
      200: { description: 'One page of log entries.', schema: logList },
      400: failure('invalid_request'),
      401: failure('unauthorized'),
    },
  },
  ...PROXY_METHODS.map((method): RouteDoc => ({
    method: method.toLowerCase() as Method,
    path: '/proxy/*',
    summary:
      'Call the PingOne API with the connection’s access token (refreshed when needed, and once more after a 401).',
    security: 'secretKey',
    params: proxyParams,
    headers: proxyHeaders,
    ...(method === 'GET' ? {} : { body: { passthrough: true } }),
    answers: {
      200: {
        description:
          'PingOne’s answer, passed through with its status (errors and 429 with Retry-After included), headers and body.',
      },
      400: failure(
        'invalid_request: a bad path, missing Connection-Id or unknown Provider-Config-Key',
      ),
      401: failure('unauthorized: the secret key (PingOne’s own 401 passes through as it is)'),
      404: failure('connection_not_found'),
      413: failure('invalid_request: the body is over 1 MiB'),
      502: failure('provider_unavailable (PingOne unreachable) or refresh_failed'),
      504: failure('provider_unavailable: PingOne did not answer in time'),
    },
  })),
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and store reachability.',
    security: 'none',
    answers: {
      200: { description: 'Up.', schema: health },
      503: failure('the store does not answer'),
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document.',
    security: 'none',
    answers: { 200: { description: 'OpenAPI 3.1.' } },
  },
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

function operation(route: RouteDoc) {
  const responses = Object.fromEntries(
    Object.entries(route.answers).map(([status, answer]) => [
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
    route.body &&
    ('passthrough' in route.body
      ? { required: false, content: { '*/*': {} } }
      : {
          required: true,
          content: {
            [route.body.form ? 'application/x-www-form-urlencoded' : 'application/json']: {
              schema: jsonSchema(route.body.schema, 'input'),
            },
          },
        });
  const params = [
    ...parameters('path', route.params),
    ...parameters('query', route.query),
    ...parameters('header', route.headers),
  ];
  return {
    summary: route.summary,
    security: route.security === 'none' ? [] : [{ [route.security]: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.json`. */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    // `/proxy/*` becomes `/proxy/{path}`: OpenAPI has no wildcard, only a parameter.
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{path}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
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
  };
}
