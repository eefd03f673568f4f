import type {
  ConnectSession,
  Connection,
  ConnectionSummary,
  CreatedIntegration,
  DeletedConnection,
  Integration,
  IntegrationInput,
  IntegrationPatch,
  LogEntry,
  Page,
  PreflightResult,
  UpdatedIntegration,
  WebhookDelivery,
  WebhookDeliveryOutcome,
  WebhookEvent,
  WebhookEventState,
  WebhookEventType,
} from './api-types.js';
import { PingOneApiError, PingOneConnectError } from './errors.js';
import { assertId } from './guards.js';
import { collectionItems, type PaginateOptions } from './paginate.js';
import {
  proxyRequest,
  type ProxyOptions,
  type ProxyResponse,
  type ProxyShorthandOptions,
} from './proxy-request.js';
import { parseBody } from './response-body.js';
import { isServerErrorBody, serverError } from './server-error.js';
import {
  assertTimeout,
  send,
  type IncomingResponse,
  type OutgoingRequest,
  type RequestOptions,
  type TransportOptions,
} from './transport.js';
import { webhookVerifier, type WebhookHeaders } from './webhooks.js';

/** How to reach your pingone-connect server. */
export interface PingOneConnectOptions {
  /** One of the server's `SECRET_KEYS`. Keep it on your backend. */
  secretKey: string;
  /**
   * The server's base URL, e.g. `https://connect.example.com`, or with a path when the app is
   * mounted under one (`https://api.example.com/pingone-connect`).
   */
  host: string | URL;
  /** The server's `WEBHOOK_SECRET` (`whsec_…`), needed only for {@link PingOneConnect.verifyWebhook}. */
  webhookSecret?: string;
  /** How long one call may take, body included; default 30 000 ms. */
  timeoutMs?: number;
  /** A `fetch` to use instead of the global one, e.g. with a custom agent or proxy. */
  fetch?: typeof globalThis.fetch;
}

/** Who the connect session is for, and what it may do. */
export interface CreateConnectSessionOptions extends RequestOptions {
  /** Your user: the connection will belong to them. */
  endUser: { id: string; email?: string; displayName?: string };
  organization?: { id: string; displayName?: string };
  /** Which integration to connect; required unless the server has exactly one. */
  integrationId?: string;
  /** Origins allowed to host the element for this session; a subset of the server's `ALLOWED_ORIGINS`. */
  allowedOrigins?: string[];
  /** Scopes to request; a subset of the integration's scopes. */
  scopes?: string[];
  /** Reconnect this existing connection (e.g. one in `needs_reauth`) instead of making a new one. */
  connectionId?: string;
  /**
   * Also make a single-use connect link (hosted connect page) for this session: the answer's
   * `connect_link`, to hand the end user by e-mail, chat or a QR code. You learn the outcome
   * by webhook (`connection.created` / `connection.updated`, or `connect.failed`).
   */
  link?: ConnectLinkOptions;
}

/** Options of a connect link (`createConnectSession({ link })`). */
export interface ConnectLinkOptions {
  /** Seconds the link stays usable, 60 to 604 800 (7 days); the server's default is 24 hours. */
  expiresIn?: number;
  /**
   * Where the hosted page sends the browser once the flow ends, with
   * `pingone_connect_attempt=<attempt id>` added; its origin must be in the server's
   * `ALLOWED_ORIGINS`. Without it the hosted page shows the outcome itself.
   */
  returnUrl?: string;
}

/** Options of {@link PingOneConnect.getConnection}. */
export interface GetConnectionOptions extends RequestOptions {
  /** Refresh the access token now, even if it is not about to expire. */
  forceRefresh?: boolean;
}

/** Cursor pagination: `cursor` is the previous page's `next_cursor`. */
export interface PageOptions extends RequestOptions {
  cursor?: string;
  /** Page size, 1 to 100; the server's default (20) when left out. */
  limit?: number;
}

/** Filters of {@link PingOneConnect.listConnections}. */
export interface ListConnectionsOptions extends PageOptions {
  endUserId?: string;
  organizationId?: string;
  integrationId?: string;
}

/** Filters of {@link PingOneConnect.listLogs}. */
export interface ListLogsOptions extends PageOptions {
  connectionId?: string;
  attemptId?: string;
}

/** Filters of {@link PingOneConnect.listWebhookDeliveries}; each narrows the list. */
export interface ListWebhookDeliveriesOptions extends PageOptions {
  /** The event (`evt_…`, the `webhook-id` header of its deliveries). */
  eventId?: string;
  eventType?: WebhookEventType;
  /** `delivered` (2xx), `failed` (another status) or `error` (no answer). */
  outcome?: WebhookDeliveryOutcome;
  /** The connection the event is about. */
  connectionId?: string;
  /** Attempts started at or after this time (a `Date` or an ISO 8601 string with a zone). */
  since?: Date | string;
  /** Attempts started before this time. */
  until?: Date | string;
}

/** Options of {@link PingOneConnect.deleteIntegration}. */
export interface DeleteIntegrationOptions extends RequestOptions {
  /**
   * Disconnect each of its connections first (as `deleteConnection` does: revoked at PingOne,
   * `connection.deleted` webhooks). Without it, an integration with connections is refused
   * with `conflict`.
   */
  deleteConnections?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The backend client of a pingone-connect server: mint connect sessions for the
 * `<pingone-connect>` element, read connections and their fresh PingOne credentials, call the
 * PingOne API through the server's proxy, read the operations log and verify webhooks.
 *
 * Options are camelCase; answers are the server's JSON as it is (snake_case), see `api-types`.
 * Failures reject with {@link PingOneConnectError} (or its subclasses); misuse throws `TypeError`.
 *
 * @example
 * const pingone = new PingOneConnect({ secretKey: process.env.PINGONE_CONNECT_SECRET_KEY, host: 'https://connect.example.com' });
 * const { provider_account } = await pingone.getConnection(connectionId);
 * const { data } = await pingone.get({ endpoint: `/v1/environments/${envId}/users/${provider_account.sub}`, connectionId });
 */
export class PingOneConnect {
  readonly #transport: TransportOptions;
  readonly #verifyWebhook: ReturnType<typeof webhookVerifier> | undefined;

  /** @throws TypeError when `secretKey`, `host`, `webhookSecret`, `timeoutMs` or `fetch` is unusable. */
  constructor(options: PingOneConnectOptions) {
    const {
      secretKey,
      host,
      webhookSecret,
      timeoutMs = DEFAULT_TIMEOUT_MS,
      fetch = globalThis.fetch,
    } = options;
    if (typeof secretKey !== 'string' || !/^[\x21-\x7e]+$/.test(secretKey)) {
      throw new TypeError(
        "secretKey must be one of the server's SECRET_KEYS (non-empty, printable, no spaces).",
      );
    }
    assertTimeout('timeoutMs', timeoutMs);
    if (typeof fetch !== 'function') throw new TypeError('fetch must be a function.');
    this.#transport = { baseUrl: baseUrl(host), secretKey, timeoutMs, fetch };
    this.#verifyWebhook = webhookSecret === undefined ? undefined : webhookVerifier(webhookSecret);
  }

  /**
   * Mints a connect session (`POST /connect/sessions`): a short-lived, single-use token that
   * lets the `<pingone-connect>` element connect this end user's PingOne account.
   */
  async createConnectSession(options: CreateConnectSessionOptions): Promise<ConnectSession> {
    const { endUser, organization, integrationId, allowedOrigins, scopes, connectionId, link } =
      options;
    const body = {
      end_user: { id: endUser.id, email: endUser.email, display_name: endUser.displayName },
      organization: organization && { id: organization.id, display_name: organization.displayName },
      integration_id: integrationId,
      allowed_origins: allowedOrigins,
      scopes,
      connection_id: connectionId,
      link: link && { expires_in: link.expiresIn, return_url: link.returnUrl },
    };
    return this.#json<ConnectSession>({
      ...requestOptions(options),
      method: 'POST',
      path: 'connect/sessions',
      headers: new Headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    });
  }

  /**
   * Revokes a connect session that has not been used yet (`DELETE /connect/sessions/:jti`), e.g.
   * when your user signs out before connecting. A used session answers `session_used`.
   */
  async revokeConnectSession(jti: string, options: RequestOptions = {}): Promise<void> {
    assertId('jti', jti);
    await this.#call({
      ...requestOptions(options),
      method: 'DELETE',
      path: `connect/sessions/${encodeURIComponent(jti)}`,
    });
  }

  /**
   * Reads a connection with credentials that are valid for at least five more minutes: the
   * server refreshes them first when needed (`GET /connections/:id`).
   */
  async getConnection(
    connectionId: string,
    options: GetConnectionOptions = {},
  ): Promise<Connection> {
    assertId('connectionId', connectionId);
    return this.#json<Connection>({
      ...requestOptions(options),
      method: 'GET',
      path: `connections/${encodeURIComponent(connectionId)}`,
      query: options.forceRefresh ? new URLSearchParams({ refresh: 'force' }) : undefined,
    });
  }

  /** Lists connections, newest first, one page at a time (`GET /connections`); no credentials. */
  async listConnections(options: ListConnectionsOptions = {}): Promise<Page<ConnectionSummary>> {
    const { endUserId, organizationId, integrationId } = options;
    return this.#json<Page<ConnectionSummary>>({
      ...requestOptions(options),
      method: 'GET',
      path: 'connections',
      query: pageQuery(options, {
        end_user_id: endUserId,
        organization_id: organizationId,
        integration_id: integrationId,
      }),
    });
  }

  /**
   * Revokes at PingOne what it lets us revoke and deletes the connection
   * (`DELETE /connections/:id`). Resolves with which tokens PingOne revoked and which it does
   * not let anyone revoke (`not_revocable`: PingOne API tokens, valid until they expire or the
   * end user's sign-on session ends).
   */
  async deleteConnection(
    connectionId: string,
    options: RequestOptions = {},
  ): Promise<DeletedConnection> {
    assertId('connectionId', connectionId);
    return this.#json<DeletedConnection>({
      ...requestOptions(options),
      method: 'DELETE',
      path: `connections/${encodeURIComponent(connectionId)}`,
    });
  }

  /**
   * Calls the PingOne API with the connection's access token, through the server's proxy
   * (`/proxy/<endpoint>`); the server refreshes the token and retries once if PingOne says 401.
   * Resolves with PingOne's 2xx answer; rejects with {@link PingOneApiError} for PingOne's
   * non-2xx answers and with {@link PingOneConnectError} when the server itself refuses
   * (unknown connection, bad key…). A redirect from PingOne is one of those non-2xx answers:
   * never followed, it rejects with its own 3xx `status` and `headers.get('location')`.
   */
  async proxy<T = unknown>(options: ProxyOptions): Promise<ProxyResponse<T>> {
    const { status, headers, text } = await send(this.#transport, proxyRequest(options));
    const data = parseBody(headers, text);
    if (status >= 200 && status < 300) return { status, headers, data: data as T };
    if (isServerErrorBody(data)) throw serverError(status, data);
    throw new PingOneApiError(status, headers, data);
  }

  /** `proxy` with `GET`. */
  get<T = unknown>(options: ProxyShorthandOptions): Promise<ProxyResponse<T>> {
    return this.proxy<T>({ ...options, method: 'GET' });
  }

  /**
   * Every item of a PingOne collection, fetched page by page through the proxy as the loop
   * asks for them: the items of each page's `_embedded[options.embedded]`, following
   * `_links.next.href` only while it stays on the connection's PingOne API (the origin the
   * proxy called, path under `/v1/`). `params` (e.g. `{limit: 100}`) go on the first page; the
   * next links carry their own. Breaking out of the loop fetches no further page.
   *
   * @throws PingOnePaginationError when a next link leaves the API (nothing is fetched for it)
   *   or a page has no such `_embedded` list; otherwise as `get` does.
   * @example
   * for await (const user of pingone.paginate<User>(connectionId, `/v1/environments/${envId}/users`, { embedded: 'users', params: { limit: 100 } })) { … }
   */
  paginate<T = unknown>(
    connectionId: string,
    endpoint: string,
    options: PaginateOptions,
  ): AsyncGenerator<T, void, undefined> {
    return collectionItems<T>((page) => this.get(page), connectionId, endpoint, options);
  }

  /** `proxy` with `POST`. */
  post<T = unknown>(options: ProxyShorthandOptions): Promise<ProxyResponse<T>> {
    return this.proxy<T>({ ...options, method: 'POST' });
  }

  /** `proxy` with `PUT`. */
  put<T = unknown>(options: ProxyShorthandOptions): Promise<ProxyResponse<T>> {
    return this.proxy<T>({ ...options, method: 'PUT' });
  }

  /** `proxy` with `PATCH`. */
  patch<T = unknown>(options: ProxyShorthandOptions): Promise<ProxyResponse<T>> {
    return this.proxy<T>({ ...options, method: 'PATCH' });
  }

  /** `proxy` with `DELETE`. */
  delete<T = unknown>(options: ProxyShorthandOptions): Promise<ProxyResponse<T>> {
    return this.proxy<T>({ ...options, method: 'DELETE' });
  }

  /**
   * Adds one of your customers' PingOne applications (`POST /integrations`). The server checks
   * it first (the preflight) and stores it only when every check passed; otherwise it rejects
   * with `integration_invalid` and `error.details.checks` says which check failed and why.
   */
  async createIntegration(
    input: IntegrationInput,
    options: RequestOptions = {},
  ): Promise<CreatedIntegration> {
    return this.#json<CreatedIntegration>({
      ...requestOptions(options),
      method: 'POST',
      path: 'integrations',
      headers: new Headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(input),
    });
  }

  /** Lists the integrations, configured and API-made, by id (`GET /integrations`). */
  async listIntegrations(options: PageOptions = {}): Promise<Page<Integration>> {
    return this.#json<Page<Integration>>({
      ...requestOptions(options),
      method: 'GET',
      path: 'integrations',
      query: pageQuery(options, {}),
    });
  }

  /** Reads one integration (`GET /integrations/:id`); never its client secret. */
  async getIntegration(integrationId: string, options: RequestOptions = {}): Promise<Integration> {
    assertId('integrationId', integrationId);
    return this.#json<Integration>({
      ...requestOptions(options),
      method: 'GET',
      path: `integrations/${encodeURIComponent(integrationId)}`,
    });
  }

  /**
   * Changes an API-made integration (`PATCH /integrations/:id`): a new client secret or auth
   * method is checked first, and every server replica uses the change from its next call.
   */
  async updateIntegration(
    integrationId: string,
    patch: IntegrationPatch,
    options: RequestOptions = {},
  ): Promise<UpdatedIntegration> {
    assertId('integrationId', integrationId);
    return this.#json<UpdatedIntegration>({
      ...requestOptions(options),
      method: 'PATCH',
      path: `integrations/${encodeURIComponent(integrationId)}`,
      headers: new Headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(patch),
    });
  }

  /** Deletes an API-made integration (`DELETE /integrations/:id`). */
  async deleteIntegration(
    integrationId: string,
    options: DeleteIntegrationOptions = {},
  ): Promise<void> {
    assertId('integrationId', integrationId);
    await this.#call({
      ...requestOptions(options),
      method: 'DELETE',
      path: `integrations/${encodeURIComponent(integrationId)}`,
      query: options.deleteConnections
        ? new URLSearchParams({ delete_connections: 'true' })
        : undefined,
    });
  }

  /** Runs the integration's checks again and reports them (`POST /integrations/:id/preflight`). */
  async preflightIntegration(
    integrationId: string,
    options: RequestOptions = {},
  ): Promise<PreflightResult> {
    assertId('integrationId', integrationId);
    return this.#json<PreflightResult>({
      ...requestOptions(options),
      method: 'POST',
      path: `integrations/${encodeURIComponent(integrationId)}/preflight`,
    });
  }

  /** Reads the server's operations log, newest first, one page at a time (`GET /logs`). */
  async listLogs(options: ListLogsOptions = {}): Promise<Page<LogEntry>> {
    const { connectionId, attemptId } = options;
    return this.#json<Page<LogEntry>>({
      ...requestOptions(options),
      method: 'GET',
      path: 'logs',
      query: pageQuery(options, { connection_id: connectionId, attempt_id: attemptId }),
    });
  }

  /**
   * Reads the webhook delivery log, newest first, one page at a time
   * (`GET /webhooks/deliveries`): every attempt to deliver an event, with the receiver's
   * status, how long it took and when the next try is planned.
   */
  async listWebhookDeliveries(
    options: ListWebhookDeliveriesOptions = {},
  ): Promise<Page<WebhookDelivery>> {
    const { eventId, eventType, outcome, connectionId, since, until } = options;
    return this.#json<Page<WebhookDelivery>>({
      ...requestOptions(options),
      method: 'GET',
      path: 'webhooks/deliveries',
      query: pageQuery(options, {
        event_id: eventId,
        event_type: eventType,
        outcome,
        connection_id: connectionId,
        since: instant('since', since),
        until: instant('until', until),
      }),
    });
  }

  /**
   * Every delivery attempt matching `options`, newest first, fetched page by page (`limit`
   * per page) as the loop asks for them; breaking out of the loop fetches no further page.
   *
   * @example
   * for await (const attempt of pingone.webhookDeliveries({ outcome: 'failed' })) { … }
   */
  async *webhookDeliveries(
    options: Omit<ListWebhookDeliveriesOptions, 'cursor'> = {},
  ): AsyncGenerator<WebhookDelivery, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.listWebhookDeliveries({ ...options, cursor });
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * Sends a webhook event again (`POST /webhooks/deliveries/:id/redeliver`), whether it was
   * delivered, given up or is still pending: it is queued due now, with the same `webhook-id`
   * (so your receiver's deduplication still holds) and all its retries again. Resolves with
   * the event as queued; an id that names no event rejects with `invalid_request`.
   *
   * @param id the event's id (`evt_…`, the `webhook-id` header) or the id of one of its
   *   delivery attempts (`whd_…`).
   */
  async redeliverWebhook(id: string, options: RequestOptions = {}): Promise<WebhookEventState> {
    assertId('id', id);
    return this.#json<WebhookEventState>({
      ...requestOptions(options),
      method: 'POST',
      path: `webhooks/deliveries/${encodeURIComponent(id)}/redeliver`,
    });
  }

  /**
   * Verifies a webhook from the server with the `webhookSecret` given to the constructor and
   * returns its event; see the standalone `verifyWebhook` for the details.
   *
   * @param rawBody the request body exactly as received, before any JSON parsing.
   * @throws WebhookVerificationError for a request to refuse (answer 400).
   * @throws TypeError when the client was built without `webhookSecret`.
   */
  verifyWebhook(headers: WebhookHeaders, rawBody: string | Uint8Array): WebhookEvent {
    if (!this.#verifyWebhook) throw new TypeError('verifyWebhook needs the webhookSecret option.');
    return this.#verifyWebhook({ headers, body: rawBody });
  }

  /** Sends a call and returns the answer, or throws the server's error for a non-2xx one. */
  async #call(request: OutgoingRequest): Promise<IncomingResponse> {
    const response = await send(this.#transport, request);
    if (response.status < 200 || response.status >= 300) {
      throw serverError(response.status, parseBody(response.headers, response.text));
    }
    return response;
  }

  /** `#call` for an answer that must be JSON. */
  async #json<T>(request: OutgoingRequest): Promise<T> {
    request.headers ??= new Headers();
    request.headers.set('accept', 'application/json');
    const { status, text } = await this.#call(request);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      const message = `The server answered ${status} with a body that is not JSON.`;
      throw new PingOneConnectError('internal_error', status, message, { cause: error });
    }
  }
}

/** Checks `host` and returns it as a base URL that relative paths resolve under. */
function baseUrl(host: unknown): URL {
  let url: URL;
  try {
    url = new URL(host instanceof URL ? host.href : String(host));
  } catch (error) {
    throw new TypeError(
      'host must be an absolute http(s) URL, such as https://connect.example.com.',
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('host must be an http(s) URL.');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('host must not contain credentials, a query or a fragment.');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** A time filter as the server reads it: ISO 8601. */
function instant(name: string, value: Date | string | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`${name} must be a valid Date or an ISO 8601 string.`);
  }
  return value.toISOString();
}

/** The per-call options of a method's options object. */
function requestOptions({ signal, timeoutMs }: RequestOptions): RequestOptions {
  return { signal, timeoutMs };
}

function pageQuery(
  options: PageOptions,
  filters: Record<string, string | undefined>,
): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({
    ...filters,
    cursor: options.cursor,
    limit: options.limit,
  })) {
    if (value !== undefined) query.set(key, String(value));
  }
  return query;
}
