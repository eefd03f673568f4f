import type {
  CreatedIntegration,
  Integration as IntegrationView,
  Page,
  PreflightResult,
  UpdatedIntegration,
} from '@pingone-connect/protocol';
import type { ClientAuth, Integration } from '../config.js';
import { deleteConnection } from '../connections/delete.js';
import type { Services } from '../context.js';
import { ApiError, invalidRequest } from '../errors.js';
import { encodeCursor, pageSize } from '../pagination.js';
import {
  INTEGRATION_REF,
  type CreateIntegrationBody,
  type PatchIntegrationBody,
} from '../schemas.js';
import type { IntegrationChanges, IntegrationRecord } from '../store/integrations.js';
import { sealClientAuth } from './client-credential.js';
import { integrationUrls, locateIntegration } from './location.js';
import { runPreflight, type PreflightTarget } from './preflight.js';
import { integrationOf } from './registry.js';
import { configuredIntegrationView, storedIntegrationView } from './view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Connections disconnected per round of `DELETE /integrations/:id?delete_connections=true`. */
const DISCONNECT_BATCH = 50;

async function preflight(services: Services, target: PreflightTarget): Promise<PreflightResult> {
  const result = await runPreflight(target, {
    fetch: services.fetch,
    timeoutMs: services.config.pingoneTimeoutMs,
    redirectUri: services.config.redirectUri,
  });
  // A failed preflight stores nothing and records no event: it is counted here.
  const failed = result.checks.find((check) => !check.ok);
  if (failed) services.metrics?.preflightFailures.inc({ check: failed.name });
  return result;
}

/** A failed preflight as the API answers it: `422 integration_invalid` with every check. */
function refused(result: PreflightResult): ApiError {
  const failed = result.checks.find((check) => !check.ok);
  return new ApiError(
    'integration_invalid',
    failed ? `The ${failed.name} check failed: ${failed.message}` : undefined,
    { details: { checks: result.checks } },
  );
}

/** Configured integrations are the operator's: the API reads them and changes nothing. */
function readOnly(id: string): ApiError {
  return new ApiError(
    'conflict',
    `The integration ${id} is defined by the server’s configuration and is read-only through the API.`,
  );
}

/**
 * `POST /integrations` (DESIGN §4.8): where its PingOne is, checked against what the operator
 * allows before any request is made; then the preflight; then, only when it passed, the
 * integration stored with its secret or private key encrypted and `integration.created` recorded.
 *
 * @throws ApiError `invalid_request` (a location the server does not allow), `conflict` (the
 *   id exists, configured or stored), `integration_invalid` (a check failed; nothing stored).
 */
export async function createIntegration(
  services: Services,
  body: CreateIntegrationBody,
): Promise<CreatedIntegration> {
  const { store, cipher, clock, journal, integrations } = services;
  const location = locateIntegration(services.config, body);
  if (location.kind !== 'loopback' && !UUID.test(body.environment_id)) {
    throw invalidRequest('environment_id: must be a PingOne environment id (a UUID)');
  }
  if (integrations.isConfigured(body.id)) throw new ApiError('conflict', 'This id is taken.');
  if ((await store.integrations.revision(body.id)) !== undefined) {
    throw new ApiError('conflict', 'This id is taken.');
  }
  const { authBaseUrl } = integrationUrls(body.environment_id, location);
  const clientAuth = createdClientAuth(body);
  const result = await preflight(services, { authBaseUrl, clientId: body.client_id, clientAuth });
  if (!result.ok) throw refused(result);

  const sealed = await sealClientAuth(clientAuth, cipher);
  const record = await store.transaction(async (trx) => {
    const inserted = await trx.integrations.insert({
      id: body.id,
      displayName: body.display_name ?? null,
      environmentId: body.environment_id,
      location,
      clientId: body.client_id,
      clientAuth: sealed,
      scopes: body.scopes,
      skipTokenSessionValidation: body.skip_token_session_validation,
      refreshTokenDuration: body.refresh_token_duration ?? null,
      refreshTokenRollingDuration: body.refresh_token_rolling_duration ?? null,
      now: clock(),
    });
    // Made by another request while this one ran its checks.
    if (!inserted) throw new ApiError('conflict', 'This id is taken.');
    await journal.record(trx, {
      event: 'integration.created',
      level: 'info',
      subject: { integrationId: inserted.id },
      message: 'Integration created; its preflight passed.',
      data: { environment_id: inserted.environmentId, location: location.kind },
    });
    return inserted;
  });
  return { ...storedIntegrationView(record), preflight: result };
}

/** The client authentication of a create, whose body the schema has checked for it. */
function createdClientAuth(body: CreateIntegrationBody): ClientAuth {
  const method = body.token_auth_method;
  if (method === 'private_key_jwt') {
    if (!body.private_key_jwk)
      throw invalidRequest('private_key_jwk: is required with private_key_jwt');
    return { method, signingKey: body.private_key_jwk };
  }
  if (body.client_secret === undefined)
    throw invalidRequest(`client_secret: is required with ${method}`);
  return { method, clientSecret: body.client_secret };
}

/**
 * The client authentication a PATCH leaves: its method (the new one, else the current one) with
 * the new secret or key, else the current one when the method still uses it. A field the method
 * does not use is refused, and so is a switch between a secret and a key without the new one.
 *
 * @throws ApiError `invalid_request`, naming the field.
 */
function patchedClientAuth(current: ClientAuth, body: PatchIntegrationBody): ClientAuth {
  const method = body.token_auth_method ?? current.method;
  if (method === 'private_key_jwt') {
    if (body.client_secret !== undefined) {
      throw invalidRequest(
        'client_secret: is not used with private_key_jwt (the private key is): leave it out',
      );
    }
    const signingKey =
      body.private_key_jwk ??
      (current.method === 'private_key_jwt' ? current.signingKey : undefined);
    if (!signingKey) {
      throw invalidRequest('private_key_jwk: is required to switch to private_key_jwt');
    }
    return { method, signingKey };
  }
  if (body.private_key_jwk !== undefined) {
    throw invalidRequest(
      `private_key_jwk: is used only with token_auth_method private_key_jwt, not ${method}`,
    );
  }
  const clientSecret =
    body.client_secret ?? (current.method === 'private_key_jwt' ? undefined : current.clientSecret);
  if (clientSecret === undefined) {
    throw invalidRequest(`client_secret: is required to switch from private_key_jwt to ${method}`);
  }
  return { method, clientSecret };
}

/** The stored integration `id`, or the refusal for a configured or unknown one. */
async function stored(services: Services, id: string): Promise<IntegrationRecord> {
  if (services.integrations.isConfigured(id)) throw readOnly(id);
  const record = await services.store.integrations.find(id);
  if (!record) throw new ApiError('integration_not_found');
  return record;
}

/**
 * `PATCH /integrations/:id`: a new client secret, private key or auth method is checked first (the
 * preflight) and stored only when it passed; every change bumps the revision, which is what
 * makes every replica rebuild its client for the next flow, refresh or call
 * (`integrations/registry.ts`). Conditional on the revision read, so of two changes racing
 * one wins and the other answers `conflict`.
 *
 * @throws ApiError `integration_not_found`, `conflict` (configured, or changed meanwhile),
 *   `integration_invalid`.
 */
export async function updateIntegration(
  services: Services,
  id: string,
  body: PatchIntegrationBody,
): Promise<UpdatedIntegration> {
  const { store, cipher, clock, journal } = services;
  const record = await stored(services, id);
  const recheck =
    body.client_secret !== undefined ||
    body.private_key_jwk !== undefined ||
    body.token_auth_method !== undefined;
  let clientAuth: ClientAuth | undefined;
  let result: PreflightResult | null = null;
  if (recheck) {
    const current: Integration = await integrationOf(record, services.cipher);
    clientAuth = patchedClientAuth(current.clientAuth, body);
    result = await preflight(services, {
      authBaseUrl: current.authBaseUrl,
      clientId: current.clientId,
      clientAuth,
    });
    if (!result.ok) throw refused(result);
  }

  const changes: IntegrationChanges = {
    ...(body.display_name === undefined ? {} : { displayName: body.display_name }),
    ...(clientAuth === undefined ? {} : { clientAuth: await sealClientAuth(clientAuth, cipher) }),
    ...(body.scopes === undefined ? {} : { scopes: body.scopes }),
    ...(body.skip_token_session_validation === undefined
      ? {}
      : { skipTokenSessionValidation: body.skip_token_session_validation }),
    ...(body.refresh_token_duration === undefined
      ? {}
      : { refreshTokenDuration: body.refresh_token_duration }),
    ...(body.refresh_token_rolling_duration === undefined
      ? {}
      : { refreshTokenRollingDuration: body.refresh_token_rolling_duration }),
  };
  const updated = await store.transaction(async (trx) => {
    const written = await trx.integrations.update(id, record.revision, changes, clock());
    if (!written) {
      throw new ApiError('conflict', 'The integration changed or went meanwhile; read it again.');
    }
    await journal.record(trx, {
      event: 'integration.updated',
      level: 'info',
      subject: { integrationId: id },
      message: result ? 'Integration updated; its preflight passed.' : 'Integration updated.',
      // The names of what changed; never a value (one of them is the secret).
      data: { changed: Object.keys(body).sort(), revision: written.revision },
    });
    return written;
  });
  return { ...storedIntegrationView(updated), ...(result ? { preflight: result } : {}) };
}

/**
 * `DELETE /integrations/:id`: refused with `conflict` while connections exist, unless
 * `deleteConnections`, which first disconnects each one exactly as `DELETE /connections/:id`
 * does (revocation at PingOne, `connection.deleted`). The integration goes last, and only
 * when no connection is left, in the transaction that checks it.
 *
 * @throws ApiError `integration_not_found`, `conflict`.
 */
export async function deleteIntegration(
  services: Services,
  id: string,
  deleteConnections: boolean,
): Promise<void> {
  const { store, journal } = services;
  await stored(services, id);
  let disconnected = 0;
  if (deleteConnections) {
    for (;;) {
      const batch = await store.connections.list({ integrationId: id, limit: DISCONNECT_BATCH });
      if (batch.length === 0) break;
      for (const connection of batch) {
        await deleteConnection(services, connection.id).catch((error: unknown) => {
          // Deleted by another request meanwhile: that is what was asked for.
          if (!(error instanceof ApiError && error.code === 'connection_not_found')) throw error;
        });
        disconnected += 1;
      }
    }
  }
  await store.transaction(async (trx) => {
    // Deleted first, then checked: a flow saving a connection holds the row
    // (`holdExisting`), so this waits for it and then sees its connection, or it sees the
    // row gone. Either way no connection outlives its integration.
    const deleted = await trx.integrations.delete(id);
    if (!deleted) throw new ApiError('integration_not_found');
    const left = await trx.connections.list({ integrationId: id, limit: 1 });
    if (left.length > 0) {
      throw new ApiError(
        'conflict',
        'The integration still has connections: delete them first, or pass delete_connections=true.',
      );
    }
    await journal.record(trx, {
      event: 'integration.deleted',
      level: 'info',
      subject: { integrationId: id },
      message: disconnected
        ? `Integration deleted, after disconnecting ${disconnected} connection(s).`
        : 'Integration deleted.',
      data: { connections_deleted: disconnected },
    });
  });
}

/** `GET /integrations/:id`. @throws ApiError `integration_not_found`. */
export async function readIntegration(services: Services, id: string): Promise<IntegrationView> {
  const found = services.integrations.configured.find(({ integration }) => integration.id === id);
  if (found) return configuredIntegrationView(found.integration);
  const record = await services.store.integrations.find(id);
  if (!record) throw new ApiError('integration_not_found');
  return storedIntegrationView(record);
}

/** `POST /integrations/:id/preflight`: the checks, run again on the current settings. */
export async function preflightIntegration(
  services: Services,
  id: string,
): Promise<PreflightResult> {
  const { integration } = await services.integrations.get(id);
  return preflight(services, {
    authBaseUrl: integration.authBaseUrl,
    clientId: integration.clientId,
    clientAuth: integration.clientAuth,
  });
}

/** The id a cursor stands for. @throws ApiError `invalid_request` for any other cursor. */
function decodeIntegrationCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!INTEGRATION_REF.test(id)) throw invalidRequest('cursor: not a cursor from this API');
  return id;
}

/**
 * `GET /integrations`: the configured and the stored ones in one listing, ordered by id, one
 * page at a time (the cursor is the last id of the previous page).
 */
export async function listIntegrations(
  services: Services,
  query: { limit?: string | undefined; cursor?: string | undefined },
): Promise<Page<IntegrationView>> {
  const size = pageSize(query.limit);
  const after = query.cursor === undefined ? undefined : decodeIntegrationCursor(query.cursor);
  const configured = services.integrations.configured
    .map(({ integration }) => configuredIntegrationView(integration))
    .filter((view) => after === undefined || view.id > after);
  const rows = await services.store.integrations.list({
    ...(after === undefined ? {} : { after }),
    limit: size + 1,
  });
  const merged = [...configured, ...rows.map(storedIntegrationView)].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const page = merged.slice(0, size);
  const last = page.at(-1);
  return {
    data: page,
    next_cursor: merged.length > size && last ? encodeCursor(last.id) : null,
  };
}
