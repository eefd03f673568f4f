import {
  ERROR_CODES,
  LOG_LEVELS,
  WEBHOOK_DELIVERY_OUTCOMES,
  WEBHOOK_EVENT_TYPES,
} from '@pingone-connect/protocol';
import type * as protocol from '@pingone-connect/protocol';
import { z } from 'zod';
import {
  DEFAULT_SCOPES,
  HOST_NAME,
  REFRESH_DURATION_BOUNDS,
  REGIONS,
  TOKEN_AUTH_METHODS,
} from './config.js';
import { SIGNING_ALGS, parseSigningKey } from './crypto/signing-key.js';
import { idPattern } from './ids.js';

/**
 * The shapes of the HTTP API in one place: handlers validate requests with them and
 * `openapi.ts` describes the API from them, so the documentation cannot drift from the code.
 * Every answer is declared against its type in `@pingone-connect/protocol`, the contract the
 * element and the Node client are built on, so the two cannot drift apart: `satisfies` refuses
 * a schema that allows what the contract does not, and schemas.test.ts (compiled by the build)
 * a schema that leaves out or adds a field.
 */

const id = z.string().min(1).max(255);
const displayName = z.string().min(1).max(255);

/** An attempt id chosen by the element: URL-safe, long enough to be unguessable. */
export const ATTEMPT_ID = /^[A-Za-z0-9_-]{8,64}$/;

export const endUser = z
  .object({ id, email: z.email().max(320).optional(), display_name: displayName.optional() })
  .strict();

export const organization = z.object({ id, display_name: displayName.optional() }).strict();

/** A connect link lives at most 7 days (DESIGN §4.9). */
export const LINK_MAX_SECONDS = 7 * 24 * 3600;

/** `POST /connect/sessions` body. */
export const createSessionBody = z
  .object({
    end_user: endUser,
    organization: organization.optional(),
    integration_id: z.string().min(1).max(64).optional(),
    allowed_origins: z.array(z.string().min(1).max(2048)).min(1).max(50).optional(),
    scopes: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    connection_id: z.string().min(1).max(64).optional(),
    link: z
      .object({
        expires_in: z
          .number()
          .int()
          .min(60)
          .max(LINK_MAX_SECONDS)
          .optional()
          .describe('Seconds, at most 7 days; default 24 hours.'),
        return_url: z
          .url({ protocol: /^https?$/ })
          .max(2048)
          .optional()
          .describe('Where the hosted page sends the browser after the flow; in ALLOWED_ORIGINS.'),
      })
      .strict()
      .optional()
      .describe('Also make a single-use connect link (DESIGN §4.9).'),
  })
  .strict();
export type CreateSessionBody = z.infer<typeof createSessionBody>;

/** `POST /connect/sessions` answer. */
export const createSessionResponse = z.object({
  token: z.string().describe('The connect session token (a JWT) for the element.'),
  expires_at: z.iso.datetime(),
  jti: z.string().describe('The session id, for DELETE /connect/sessions/{jti}.'),
  connect_link: z
    .url()
    .optional()
    .describe('With `link` only: the single-use hosted connect page (it carries a secret).'),
}) satisfies z.ZodType<protocol.ConnectSession>;

/** `GET|POST /connect/links/:link` path: `<id>.<secret>`. */
export const linkParams = z.object({ link: z.string().min(1).max(200) }).strict();

/** `DELETE /connect/sessions/:jti` path. */
export const sessionParams = z.object({ jti: z.string().min(1).max(128) }).strict();

/** `POST /oauth/connect` form, posted by the element into the popup. */
export const connectForm = z.object({
  session_token: z.string().min(1).max(4096),
  attempt_id: z.string().regex(ATTEMPT_ID),
  origin: z.string().min(1).max(2048),
  /** Redirect mode (DESIGN §4.9): the page to come back to, on one of the session's origins. */
  return_to: z.string().min(1).max(2048).optional(),
});

/** `GET /oauth/callback` query, as PingOne redirects it (RFC 6749 §4.1.2, RFC 9207). */
/**
 * `POST /oauth/connect` query: the element repeats the attempt id in the form's URL, so that a
 * body refused unread (too large) can still be reported to the opener.
 */
export const connectQuery = z.object({ attempt_id: z.string().regex(ATTEMPT_ID).optional() });

export const callbackQuery = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(4096).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().min(1).max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

/** `GET /connect/attempts/:attempt_id` path. */
export const attemptParams = z.object({ attempt_id: z.string().regex(ATTEMPT_ID) }).strict();

export const oauthError = z.object({
  error: z.string(),
  error_description: z.string().optional(),
}) satisfies z.ZodType<protocol.OAuthError>;

export const resultError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  oauth_error: oauthError.optional(),
}) satisfies z.ZodType<protocol.ResultError>;

/** One check of a preflight (DESIGN §4.8). */
export const preflightCheck = z.object({
  name: z.string(),
  ok: z.boolean(),
  message: z.string(),
}) satisfies z.ZodType<protocol.PreflightCheck>;

export const preflightResult = z.object({
  ok: z.boolean(),
  checks: z.array(preflightCheck),
}) satisfies z.ZodType<protocol.PreflightResult>;

/** Every error response: `{error:{code,message}}`. */
export const errorResponse = z.object({
  error: resultError.extend({
    details: z
      .object({ checks: z.array(preflightCheck) })
      .optional()
      .describe('On integration_invalid only: every check of the failed preflight.'),
  }),
}) satisfies z.ZodType<protocol.ErrorResponse>;

/** `GET /connect/attempts/:attempt_id` answer: each status with exactly the fields it carries. */
export const attemptStatus = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({
    status: z.literal('success'),
    connection_id: z.string(),
    end_user_id: z.string(),
    scopes: z.array(z.string()),
  }),
  z.object({ status: z.literal('error'), error: resultError }),
]) satisfies z.ZodType<protocol.AttemptStatus>;

/** `limit` of a paginated listing. */
const pageLimit = z
  .string()
  .regex(/^\d{1,3}$/)
  .refine((value) => Number(value) >= 1 && Number(value) <= 100, 'must be 1 to 100')
  .optional()
  .describe('Page size, 1 to 100; default 20.');

/** `cursor` of a paginated listing. */
const pageCursor = z
  .string()
  .min(1)
  .max(128)
  .optional()
  .describe('next_cursor of the previous page.');

/** `GET /connections` query. */
export const listConnectionsQuery = z
  .object({
    end_user_id: id.optional(),
    integration_id: z.string().min(1).max(64).optional(),
    organization_id: id.optional(),
    limit: pageLimit,
    cursor: pageCursor,
  })
  .strict();

/** `GET /connections/:id` path. */
export const connectionParams = z.object({ id: z.string().min(1).max(64) }).strict();

/** `GET /connections/:id` query. */
export const readConnectionQuery = z
  .object({
    refresh: z
      .literal('force')
      .optional()
      .describe('Refresh now, even when the access token is not about to expire.'),
  })
  .strict();

/** A connection without its credentials, as listed. */
export const connectionSummary = z.object({
  id: z.string(),
  integration_id: z.string(),
  end_user: z.object({
    id: z.string(),
    email: z.string().optional(),
    display_name: z.string().optional(),
  }),
  organization: z.object({ id: z.string(), display_name: z.string().optional() }).optional(),
  provider_account: z.object({
    sub: z.string(),
    email: z.string().optional(),
    name: z.string().optional(),
  }),
  scopes: z.array(z.string()),
  status: z.enum(['active', 'needs_reauth']),
  /** Why it is `needs_reauth` (DESIGN §4.10); null while active. */
  status_reason: z
    .enum([
      'session_ended',
      'refresh_token_expired',
      'invalid_grant',
      'refresh_interrupted',
      'revoked',
    ])
    .nullable(),
  reauth_by: z.iso
    .datetime()
    .nullable()
    .describe(
      'The latest time the connection is expected to keep working without a new sign-on (see the server README); null for connections made before sign-on times were kept.',
    ),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
}) satisfies z.ZodType<protocol.ConnectionSummary>;

/** The decrypted tokens of a connection. */
export const credentials = z.object({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  token_type: z.string(),
  scope: z.string(),
  expires_at: z.iso.datetime().optional(),
}) satisfies z.ZodType<protocol.Credentials>;

/** `GET /connections/:id` answer. */
export const connectionDetail = connectionSummary.extend({
  credentials,
}) satisfies z.ZodType<protocol.Connection>;

const tokenKinds = z.array(z.enum(['refresh_token', 'access_token']));

/** `DELETE /connections/:id` answer. */
export const deletedConnection = z.object({
  deleted: z.literal(true),
  revoked: tokenKinds.describe('Tokens PingOne revoked.'),
  not_revocable: tokenKinds.describe(
    'Tokens PingOne does not let anyone revoke (PingOne API resource tokens): they stay valid until they expire or the end user’s sign-on session ends.',
  ),
}) satisfies z.ZodType<protocol.DeletedConnection>;

const webhookOrganization = z
  .object({ id: z.string(), display_name: z.string().optional() })
  .nullable();

/** A connection's webhook: whose connection changed, never a token. */
export const connectionEvent = z.object({
  type: z.enum(
    WEBHOOK_EVENT_TYPES.filter((type) => type !== 'connect.failed') as [
      protocol.ConnectionEventType,
      ...protocol.ConnectionEventType[],
    ],
  ),
  timestamp: z.iso.datetime(),
  data: z.object({
    connection_id: z.string(),
    integration_id: z.string(),
    end_user: connectionSummary.shape.end_user,
    organization: webhookOrganization,
    status: connectionSummary.shape.status,
    status_reason: connectionSummary.shape.status_reason,
    reauth_by: connectionSummary.shape.reauth_by,
    revoked: tokenKinds.optional().describe('connection.deleted only: the tokens PingOne revoked.'),
    not_revocable: tokenKinds
      .optional()
      .describe('connection.deleted only: the tokens PingOne does not let anyone revoke.'),
  }),
}) satisfies z.ZodType<protocol.ConnectionEvent>;

/** `connect.failed`: an attempt ended in an error other than `popup_closed`. */
export const connectFailedEvent = z.object({
  type: z.literal('connect.failed'),
  timestamp: z.iso.datetime(),
  data: z.object({
    connection_id: z
      .string()
      .nullable()
      .describe('The reconnect’s connection; null for a new one.'),
    integration_id: z.string(),
    end_user: connectionSummary.shape.end_user,
    organization: webhookOrganization,
    attempt_id: z.string(),
    error: resultError,
  }),
}) satisfies z.ZodType<protocol.ConnectFailedEvent>;

/** The body of every webhook (DESIGN §4.7), never a token. */
export const webhookEvent = z.discriminatedUnion('type', [
  connectionEvent,
  connectFailedEvent,
]) satisfies z.ZodType<protocol.WebhookEvent>;

/** `GET /connections` answer. */
export const connectionList = z.object({
  data: z.array(connectionSummary),
  next_cursor: z.string().nullable(),
}) satisfies z.ZodType<protocol.Page<protocol.ConnectionSummary>>;

/** `GET /healthz` answer. */
export const health = z.object({ status: z.literal('ok') });

/** `GET /logs` query. */
export const listLogsQuery = z
  .object({
    connection_id: z.string().min(1).max(64).optional(),
    attempt_id: z.string().regex(ATTEMPT_ID).optional(),
    limit: pageLimit,
    cursor: pageCursor,
  })
  .strict();

/** One entry of the operations log: what happened, never a token or a body. */
export const logEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  type: z
    .string()
    .describe('What happened, e.g. connection.created, attempt.failed, proxy.request.'),
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  integration_id: z.string().optional(),
  end_user_id: z.string().optional(),
  connection_id: z.string().optional(),
  attempt_id: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
}) satisfies z.ZodType<protocol.LogEntry>;

/** `GET /logs` answer. */
export const logList = z.object({
  data: z.array(logEntry),
  next_cursor: z.string().nullable(),
}) satisfies z.ZodType<protocol.Page<protocol.LogEntry>>;

/** An event id (`evt_…`): the `webhook-id` of its deliveries. */
const webhookEventId = z.string().regex(idPattern('evt'), 'must be an event id (evt_…)');

/** A time filter: ISO 8601 with a time zone. */
const instant = z.iso.datetime({ offset: true });

/** `GET /webhooks/deliveries` query. */
export const listWebhookDeliveriesQuery = z
  .object({
    event_id: webhookEventId.optional().describe('The event (its webhook-id).'),
    event_type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
    outcome: z.enum(WEBHOOK_DELIVERY_OUTCOMES).optional(),
    connection_id: z.string().min(1).max(64).optional(),
    since: instant.optional().describe('Attempts started at or after this time (ISO 8601).'),
    until: instant.optional().describe('Attempts started before this time (ISO 8601).'),
    limit: pageLimit,
    cursor: pageCursor,
  })
  .strict()
  .refine(
    (query) =>
      query.since === undefined ||
      query.until === undefined ||
      Date.parse(query.since) < Date.parse(query.until),
    { message: 'must be before until', path: ['since'] },
  );

/** `POST /webhooks/deliveries/:id/redeliver` path. */
export const redeliverParams = z
  .object({
    id: z
      .string()
      .regex(idPattern('evt', 'whd'), 'must be an event id (evt_…) or a delivery id (whd_…)')
      .describe('The event (evt_…, its webhook-id) or any of its deliveries (whd_…).'),
  })
  .strict();

const deliveryFields = {
  id: z.string(),
  event_id: z.string(),
  event_type: z.enum(WEBHOOK_EVENT_TYPES),
  connection_id: z.string().nullable(),
  attempt: z.number().int(),
  started_at: z.iso.datetime(),
  duration_ms: z.number().int(),
  next_attempt_at: z.iso
    .datetime()
    .nullable()
    .describe('When the next attempt was planned; null when none was.'),
  redelivery: z.boolean(),
};

/** One delivery attempt: what the receiver answered, never its body. */
export const webhookDelivery = z.discriminatedUnion('outcome', [
  z.object({
    ...deliveryFields,
    outcome: z.literal('delivered'),
    response_status: z.number().int(),
    error: z.null(),
  }),
  z.object({
    ...deliveryFields,
    outcome: z.literal('failed'),
    response_status: z.number().int(),
    error: z.string(),
  }),
  z.object({
    ...deliveryFields,
    outcome: z.literal('error'),
    response_status: z.null(),
    error: z.string(),
  }),
]) satisfies z.ZodType<protocol.WebhookDelivery>;

/** `GET /webhooks/deliveries` answer. */
export const webhookDeliveryList = z.object({
  data: z.array(webhookDelivery),
  next_cursor: z.string().nullable(),
}) satisfies z.ZodType<protocol.Page<protocol.WebhookDelivery>>;

/** `POST /webhooks/deliveries/:id/redeliver` answer: the event as queued. */
export const webhookEventState = z.object({
  id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  connection_id: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: z.iso.datetime().nullable(),
}) satisfies z.ZodType<protocol.WebhookEventState>;

/** The headers `ANY /proxy/*` reads itself; it forwards the others (DESIGN §5.10). */
export const proxyHeaders = z.object({
  'connection-id': z.string().min(1).max(64).describe('Whose PingOne tokens to call with.'),
  'provider-config-key': z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('The integration id; required only when the server has several.'),
});

/** `ANY /proxy/*` path, as documented: everything after `/proxy/`. */
export const proxyParams = z.object({
  path: z
    .string()
    .describe('The PingOne API path, e.g. v1/environments; the query string follows.'),
});

/** The id of a new integration: the customer's slug (DESIGN §4.8). */
export const INTEGRATION_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Any integration's id: configured ones may also have `_` (`config.ts`). */
export const INTEGRATION_REF = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const scope = z
  .string()
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/, 'a scope is printable, without quotes');
const integrationScopes = z
  .array(scope)
  .min(1)
  .max(100)
  .refine((scopes) => scopes.includes('openid'), 'must include openid')
  .transform((scopes) => [...new Set(scopes)])
  .describe('Scopes sessions may ask for; must include openid.');
const clientSecret = z
  .string()
  .min(1)
  .max(1024)
  .describe('The application’s client secret: stored encrypted, never returned.');
const tokenAuthMethod = z.enum(TOKEN_AUTH_METHODS);
const privateKeyJwk = z
  .record(z.string(), z.unknown(), { error: 'must be a private JSON Web Key (a JSON object)' })
  .transform((value, context) => {
    const parsed = parseSigningKey(value);
    if (parsed.ok) return parsed.key;
    context.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  })
  .describe(
    'For private_key_jwt only: the RSA private JWK (RS256, RS384 or RS512, at least 2048 bits) that signs the client assertions. Stored encrypted, never returned; the answer shows its public half as signing_key.',
  );

/**
 * The credential rules of a create: the secret methods need `client_secret`, `private_key_jwt`
 * needs `private_key_jwk` instead; each field only with its methods.
 */
function credentialIssues(body: {
  token_auth_method: protocol.TokenAuthMethod;
  client_secret?: unknown;
  private_key_jwk?: unknown;
}): { path: string; message: string }[] {
  const method = body.token_auth_method;
  const issues: { path: string; message: string }[] = [];
  if (method === 'private_key_jwt') {
    if (body.private_key_jwk === undefined) {
      issues.push({ path: 'private_key_jwk', message: 'is required with private_key_jwt' });
    }
    if (body.client_secret !== undefined) {
      issues.push({
        path: 'client_secret',
        message: 'is not used with private_key_jwt (the private key is): leave it out',
      });
    }
  } else {
    if (body.client_secret === undefined) {
      issues.push({ path: 'client_secret', message: `is required with ${method}` });
    }
    if (body.private_key_jwk !== undefined) {
      issues.push({
        path: 'private_key_jwk',
        message: `is used only with token_auth_method private_key_jwt, not ${method}`,
      });
    }
  }
  return issues;
}

const refreshSeconds = z
  .number()
  .int()
  .min(REFRESH_DURATION_BOUNDS.min)
  .max(REFRESH_DURATION_BOUNDS.max);
const refreshTokenDuration = refreshSeconds.describe(
  'Seconds: the PingOne application’s refreshTokenDuration, if not PingOne’s default (30 days). Feeds reauth_by only.',
);
const refreshTokenRollingDuration = refreshSeconds.describe(
  'Seconds: the PingOne application’s refreshTokenRollingDuration, if not PingOne’s default (180 days). Feeds reauth_by only.',
);

/** `POST /integrations` body. */
export const createIntegrationBody = z
  .object({
    id: z.string().regex(INTEGRATION_ID).describe('Your customer’s slug, [a-z0-9][a-z0-9-]{0,62}.'),
    display_name: displayName.optional(),
    environment_id: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/)
      .describe('The customer’s PingOne environment id (a UUID).'),
    region: z
      .enum(REGIONS)
      .optional()
      .describe('Default com; with custom_domain, the API’s region.'),
    custom_domain: z
      .string()
      .max(253)
      .regex(HOST_NAME, 'a host name like auth.example.com')
      .optional()
      .describe('A PingOne custom domain listed in the server’s PINGONE_CUSTOM_DOMAINS.'),
    auth_base_url: z
      .string()
      .max(2048)
      .optional()
      .describe(
        'Only with ALLOW_LOOPBACK_PINGONE=true: an http://127.0.0.1 issuer (the emulator).',
      ),
    api_base_url: z.string().max(2048).optional().describe('With auth_base_url only.'),
    client_id: z.string().min(1).max(255),
    client_secret: clientSecret.optional().describe('Required, except with private_key_jwt.'),
    private_key_jwk: privateKeyJwk.optional(),
    token_auth_method: tokenAuthMethod.default('client_secret_post'),
    scopes: integrationScopes.default(DEFAULT_SCOPES.split(' ')),
    skip_token_session_validation: z.boolean().default(false),
    refresh_token_duration: refreshTokenDuration.optional(),
    refresh_token_rolling_duration: refreshTokenRollingDuration.optional(),
  })
  .strict()
  .superRefine((body, context) => {
    for (const { path, message } of credentialIssues(body)) {
      context.addIssue({ code: 'custom', path: [path], message });
    }
  });
export type CreateIntegrationBody = z.output<typeof createIntegrationBody>;

/** `PATCH /integrations/:id` body: at least one field. */
export const patchIntegrationBody = z
  .object({
    display_name: displayName.nullable().optional(),
    client_secret: clientSecret.optional(),
    private_key_jwk: privateKeyJwk.optional(),
    token_auth_method: tokenAuthMethod.optional(),
    scopes: integrationScopes.optional(),
    skip_token_session_validation: z.boolean().optional(),
    refresh_token_duration: refreshTokenDuration.nullable().optional(),
    refresh_token_rolling_duration: refreshTokenRollingDuration.nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change');
export type PatchIntegrationBody = z.output<typeof patchIntegrationBody>;

/** `/integrations/:id` path. */
export const integrationParams = z.object({ id: z.string().regex(INTEGRATION_REF) }).strict();

/** `GET /integrations` query. */
export const listIntegrationsQuery = z.object({ limit: pageLimit, cursor: pageCursor }).strict();

/** `DELETE /integrations/:id` query. */
export const deleteIntegrationQuery = z
  .object({
    delete_connections: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: disconnect each of its connections (as DELETE /connections/{id}) first.'),
  })
  .strict();

const publicJwk = z.object({
  kty: z.literal('RSA'),
  n: z.string(),
  e: z.string(),
  kid: z.string(),
  alg: z.enum(SIGNING_ALGS),
  use: z.literal('sig'),
}) satisfies z.ZodType<protocol.PublicJwk>;

/** A private_key_jwt integration's key as answered: its public half only. */
const signingKeyView = z.object({
  kid: z.string(),
  alg: z.enum(SIGNING_ALGS),
  jwks: z
    .object({ keys: z.array(publicJwk) })
    .describe('Paste into the JWKS of the PingOne application (Configuration tab).'),
}) satisfies z.ZodType<protocol.SigningKeyView>;

/** An integration as answered: never its client secret or private key. */
export const integrationView = z.object({
  id: z.string(),
  display_name: z.string().nullable(),
  environment_id: z.string(),
  region: z.enum(REGIONS).nullable(),
  custom_domain: z.string().nullable(),
  client_id: z.string(),
  token_auth_method: tokenAuthMethod,
  signing_key: signingKeyView
    .nullable()
    .describe('For private_key_jwt: the public key to register in PingOne; null otherwise.'),
  scopes: z.array(z.string()),
  skip_token_session_validation: z.boolean(),
  refresh_token_duration: z.number().int().nullable(),
  refresh_token_rolling_duration: z.number().int().nullable(),
  source: z.enum(['config', 'api']),
  created_at: z.iso.datetime().nullable(),
  updated_at: z.iso.datetime().nullable(),
}) satisfies z.ZodType<protocol.Integration>;

/** `POST /integrations` answer, and that of a `PATCH` or preflight. */
export const createdIntegration = integrationView.extend({
  preflight: preflightResult,
}) satisfies z.ZodType<protocol.CreatedIntegration>;

/** `PATCH /integrations/:id` answer. */
export const updatedIntegration = integrationView.extend({
  preflight: preflightResult.optional().describe('Present when the change re-ran the checks.'),
}) satisfies z.ZodType<protocol.UpdatedIntegration>;

/** `GET /integrations` answer. */
export const integrationList = z.object({
  data: z.array(integrationView),
  next_cursor: z.string().nullable(),
}) satisfies z.ZodType<protocol.Page<protocol.Integration>>;
