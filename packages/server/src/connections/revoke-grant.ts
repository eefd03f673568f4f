import type { Services } from '../context.js';
import { ApiError, toApiError } from '../errors.js';
import type { StoredCredentials } from './credentials.js';

/**
 * Revokes a grant at PingOne: its refresh token, which ends the grant and every token of it,
 * or the access token when there is none. Best effort: returns the failure instead of throwing,
 * since the caller lets go of the tokens either way.
 */
export async function revokeGrant(
  services: Services,
  integrationId: string,
  credentials: StoredCredentials,
): Promise<ApiError | null> {
  try {
    const resolved = await services.integrations.find(integrationId);
    if (!resolved) {
      throw new ApiError('provider_error', 'The connection’s integration no longer exists.');
    }
    const { provider } = resolved;
    await (credentials.refresh_token
      ? provider.revoke(credentials.refresh_token, 'refresh_token')
      : provider.revoke(credentials.access_token, 'access_token'));
    return null;
  } catch (error) {
    return toApiError(error);
  }
}
