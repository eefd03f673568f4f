import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import type { ConnectionSummary, CredentialsView } from '../schemas.js';
import { connectionSummary, credentialsView } from './view.js';

/**
 * `GET /connections/:id`: the connection with its decrypted credentials. (Refreshing tokens
 * that are about to expire belongs to the refresh module; until then they are returned as stored.)
 *
 * @throws ApiError `connection_not_found`.
 */
export async function readConnection(
  services: Services,
  id: string,
): Promise<ConnectionSummary & { credentials: CredentialsView }> {
  const connection = await services.store.findConnection(id);
  if (!connection) throw new ApiError('connection_not_found');
  return {
    ...connectionSummary(connection),
    credentials: await credentialsView(services.cipher, connection),
  };
}
