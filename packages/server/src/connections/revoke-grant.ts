import type { TokenKind } from '@pingone-connect/protocol';
import type { Services } from '../context.js';
import { ApiError, toApiError } from '../errors.js';
import type { RevocationFields } from '../webhooks/payload.js';
import type { StoredCredentials } from './credentials.js';

/** PingOne's OpenID Connect scopes: of no resource that `/as/revoke` acts on. */
const OIDC_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'address',
  'phone',
]);

/** What letting go of a grant did at PingOne: each token kind in at most one list. */
export interface Revocation {
  readonly revoked: readonly TokenKind[];
  /** Tokens PingOne does not let us revoke: they stay valid until they expire or the session ends. */
  readonly notRevocable: readonly TokenKind[];
  /** Why asking PingOne failed; the tokens it was about are in neither list. */
  readonly failure: ApiError | null;
}

/** A revocation as the API, the log and the webhook say it. */
export function revocationFields(revocation: Revocation): RevocationFields {
  return { revoked: revocation.revoked, not_revocable: revocation.notRevocable };
}

/**
 * Whether PingOne's `/as/revoke` acts on tokens of these granted scopes. From PingOne's
 * token-revocation page
 * (https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-revocation.html):
 * "the tokens to be revoked must be for a custom resource. Tokens issued for the PingOne API
 * resource may not be revoked" — and PingOne answers `200` either way, so only the scopes
 * tell. A grant is for one resource (PingOne refuses scopes of several), so one custom scope —
 * neither OpenID Connect's nor a `p1:` one — makes its tokens a custom resource's.
 */
export function isRevocable(scope: string): boolean {
  return scope
    .split(' ')
    .filter(Boolean)
    .some((name) => !OIDC_SCOPES.has(name) && !name.startsWith('p1:'));
}

/**
 * Revokes at PingOne what it lets us revoke of a grant: a custom resource's refresh token and
 * access token, each asked for; PingOne API and OpenID Connect tokens are not asked about
 * (PingOne would answer `200` and leave them valid) and are reported `notRevocable`. Best
 * effort: a failure is returned, not thrown, since the caller lets go of the tokens either way.
 */
export async function revokeGrant(
  services: Services,
  integrationId: string,
  credentials: StoredCredentials,
): Promise<Revocation> {
  const kinds: TokenKind[] = [
    ...(credentials.refresh_token ? (['refresh_token'] as const) : []),
    'access_token',
  ];
  if (!isRevocable(credentials.scope)) return { revoked: [], notRevocable: kinds, failure: null };
  const revoked: TokenKind[] = [];
  try {
    const resolved = await services.integrations.find(integrationId);
    if (!resolved) {
      throw new ApiError('provider_error', 'The connection’s integration no longer exists.');
    }
    const { provider } = resolved;
    // The refresh token first: revoking it ends the grant, so nothing can mint a new one.
    for (const kind of kinds) {
      const token = kind === 'refresh_token' ? credentials.refresh_token : credentials.access_token;
      if (token) await provider.revoke(token, kind);
      revoked.push(kind);
    }
    return { revoked, notRevocable: [], failure: null };
  } catch (error) {
    return { revoked, notRevocable: [], failure: toApiError(error) };
  }
}
