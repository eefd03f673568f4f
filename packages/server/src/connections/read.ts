import type { Services } from '../context.js';
import type { Connection } from '@pingone-connect/protocol';
import { freshCredentials } from './refresh.js';
import { connectionSummary, credentialsView } from './view.js';

/**
 * `GET /connections/:id`: the connection with its decrypted credentials, refreshed first when
 * they expire within 5 minutes or when `force` (`?refresh=force`).
 *
 * @throws ApiError `connection_not_found`, `refresh_failed`, `provider_unavailable`.
 */
export async function readConnection(
  services: Services,
  id: string,
  force: boolean,
): Promise<Connection> {
  const { connection, credentials } = await freshCredentials(services, id, { force });
  return { ...connectionSummary(connection), credentials: credentialsView(credentials) };
}
