import type { StoredCredentials } from './credentials.js';
import type { ConnectionSummary, Credentials } from '@pingone-connect/protocol';
import type { ConnectionRecord } from '../store/connections.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Drops null fields, so optional values are absent rather than null in JSON. */
export function present<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

/** A connection as the API shows it, without credentials. */
export function connectionSummary(connection: ConnectionRecord): ConnectionSummary {
  const { endUser, organization, providerAccount } = connection;
  return {
    id: connection.id,
    integration_id: connection.integrationId,
    end_user: present({ id: endUser.id, email: endUser.email, display_name: endUser.displayName }),
    ...(organization
      ? { organization: present({ id: organization.id, display_name: organization.displayName }) }
      : {}),
    provider_account: present({
      sub: providerAccount.sub,
      email: providerAccount.email,
      name: providerAccount.name,
    }),
    scopes: [...connection.scopes],
    status: connection.status,
    status_reason: connection.statusReason,
    reauth_by: connection.reauthBy === null ? null : iso(connection.reauthBy),
    created_at: iso(connection.createdAt),
    updated_at: iso(connection.updatedAt),
  };
}

/** A connection's decrypted credentials, as the API shows them. */
export function credentialsView(stored: StoredCredentials): Credentials {
  return {
    access_token: stored.access_token,
    ...(stored.refresh_token ? { refresh_token: stored.refresh_token } : {}),
    ...(stored.id_token ? { id_token: stored.id_token } : {}),
    token_type: stored.token_type,
    scope: stored.scope,
    ...(stored.expires_at === undefined ? {} : { expires_at: iso(stored.expires_at) }),
  };
}
