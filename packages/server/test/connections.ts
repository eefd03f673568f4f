// Shared by the refresh, delete and webhook tests: connections made through the real flow,
// read and deleted through the API, and what the emulator and the outbox say about them.
import { DEFAULT_CUSTOM_RESOURCE } from '@pingone-connect/emulator';
import type { ConnectionStatusReason } from '@pingone-connect/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  SECRET_KEY,
  backendGet,
  connectFlow,
  type Harness,
} from './support.js';

/** Webhooks configured (nothing listens there): the app writes outbox rows. */
export const WEBHOOK_ENV = {
  WEBHOOK_URL: 'http://127.0.0.1:9/webhooks',
  WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
};

/**
 * An integration asking for a custom resource's scope instead of the PingOne API's `p1:` ones:
 * PingOne's /as/revoke revokes such tokens, and answers 200 but leaves PingOne API tokens
 * valid. Tests whose point is "the grant was revoked" connect with these scopes.
 */
export const REVOCABLE_SCOPES_ENV = {
  PINGONE_SCOPES: `openid profile email ${DEFAULT_CUSTOM_RESOURCE.scopes[0]}`,
};

/** `GET /connections/:id` as JSON. */
export interface ConnectionBody {
  id: string;
  status: 'active' | 'needs_reauth';
  status_reason: ConnectionStatusReason | null;
  reauth_by: string | null;
  scopes: string[];
  updated_at: string;
  provider_account: { sub: string };
  credentials: {
    access_token: string;
    refresh_token?: string;
    id_token?: string;
    scope: string;
    expires_at?: string;
  };
}

/** Connects through the real flow (as end user `endUserId`) and returns the connection id. */
export async function connect(harness: Harness, endUserId = 'user-1'): Promise<string> {
  const flow = await connectFlow(harness, { session: { end_user: { id: endUserId } } });
  if (!flow.posted.message?.ok) throw new Error('the connect flow failed');
  return flow.posted.message.connection_id;
}

/** `GET /connections/:id` (with `?refresh=force` when `force`); expects 200. */
export async function readConnection(
  harness: Pick<Harness, 'app' | 'url'>,
  id: string,
  force = false,
): Promise<ConnectionBody> {
  const response = await backendGet(
    harness as Harness,
    `/connections/${id}${force ? '?refresh=force' : ''}`,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as ConnectionBody;
}

/**
 * The status of `GET /v1/environments/{envId}/users/{sub}` at the emulator with a connection's
 * access token: the user's own record, which a Web App's `p1:read:user` token may read.
 */
export async function readOwnRecord(
  harness: Harness,
  connection: Pick<ConnectionBody, 'provider_account' | 'credentials'>,
): Promise<number> {
  const { apiBaseUrl, environmentId } = harness.emulator;
  const response = await fetch(
    `${apiBaseUrl}/v1/environments/${environmentId}/users/${connection.provider_account.sub}`,
    { headers: { authorization: `Bearer ${connection.credentials.access_token}` } },
  );
  await response.body?.cancel();
  return response.status;
}

/** Revokes a refresh token at the emulator, as an admin ending the grant would. */
export async function revokeAtPingOne(harness: Harness, refreshToken: string): Promise<void> {
  const response = await fetch(`${harness.emulator.issuer}/revoke`, {
    method: 'POST',
    body: new URLSearchParams({
      token: refreshToken,
      token_type_hint: 'refresh_token',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    }),
  });
  expect(response.status).toBe(200);
}

/** `DELETE /connections/:id` with the secret key. */
export async function deleteConnection(harness: Harness, id: string): Promise<Response> {
  return harness.app.request(harness.url(`/connections/${id}`), {
    method: 'DELETE',
    headers: { authorization: `Bearer ${SECRET_KEY}` },
  });
}

/** Whether the emulator still honours `token` (RFC 7662 introspection, which changes nothing). */
export async function isActive(harness: Harness, token: string): Promise<boolean> {
  const response = await fetch(`${harness.emulator.issuer}/introspect`, {
    method: 'POST',
    body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { active: boolean }).active;
}

/** An outbox row as the database holds it. */
export interface OutboxRow {
  id: string;
  event_type: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

/** The webhook outbox of a SQLite harness, oldest first, read straight from the file. */
export function outbox(harness: Pick<Harness, 'databaseFile'>): OutboxRow[] {
  const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
  try {
    return db.prepare('select * from webhook_outbox order by id').all() as OutboxRow[];
  } finally {
    db.close();
  }
}

/** The operations-log events recorded for a connection, oldest first. */
export function loggedEvents(
  harness: Pick<Harness, 'databaseFile'>,
  connectionId: string,
): string[] {
  const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
  try {
    const rows = db
      .prepare('select event from logs where connection_id = ? order by id')
      .all(connectionId) as { event: string }[];
    return rows.map((row) => row.event);
  } finally {
    db.close();
  }
}

/** The `auth_time` (epoch ms) of a connection's ID token: when the end user signed on. */
export function signedOnAt(connection: Pick<ConnectionBody, 'credentials'>): number {
  const [, payload = ''] = (connection.credentials.id_token ?? '').split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    auth_time: number;
  };
  return claims.auth_time * 1000;
}

/** `POST /integrations` with the secret key: an integration of the harness's emulator client. */
export async function createEmulatorIntegration(
  harness: Harness,
  id: string,
  fields: Record<string, unknown> = {},
): Promise<Response> {
  return harness.app.request(harness.url('/integrations'), {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      environment_id: harness.emulator.environmentId,
      auth_base_url: harness.emulator.issuer,
      api_base_url: harness.emulator.apiBaseUrl,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      ...fields,
    }),
  });
}
