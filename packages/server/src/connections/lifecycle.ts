import type { Integration } from '../config.js';
import type { ReauthReason } from '../store/connections.js';

/**
 * How long a connection keeps working without the end user (DESIGN §4.10), from what PingOne
 * documents; PingOne enforces all of it, and tells the server none of it per token.
 *
 * - A refresh token is bound to the sign-on session unless the application sets
 *   `skipTokenSessionValidation` ("If the session is invalid, the refresh token is considered
 *   invalid even if it has not expired",
 *   https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-validation.html),
 *   and a session of a PingOne sign-on policy ends 30 days after sign-on at the latest ("the
 *   idle timeout is 30 days (this is not configurable)",
 *   https://developer.pingidentity.com/pingone-api/platform/session-token-settings/index.html;
 *   read strictly: nothing extends it).
 * - Each refresh token lives `refreshTokenDuration` (default 30 days) after it was issued, and
 *   none of a chain lives past `refreshTokenRollingDuration` (default 180 days) after sign-on
 *   (the application properties,
 *   https://github.com/pingidentity/terraform-provider-pingone/blob/main/docs/resources/application.md).
 */
export const SIGN_ON_SESSION_LIFE_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_REFRESH_TOKEN_DURATION_S = 30 * 24 * 60 * 60;
export const DEFAULT_REFRESH_TOKEN_ROLLING_DURATION_S = 180 * 24 * 60 * 60;

/** What of an integration decides how long its connections last. */
export type LifecycleSettings = Pick<
  Integration,
  'skipTokenSessionValidation' | 'refreshTokenDuration' | 'refreshTokenRollingDuration'
>;

/** When a connection's tokens were issued, as far as their lifetimes go. */
export interface Issuance {
  /** The ID token's `auth_time`: when the end user signed on to PingOne. */
  readonly signedOnAt: number;
  /** When the current refresh token was issued (the code exchange or the last refresh). */
  readonly issuedAt: number;
}

/**
 * `reauth_by`: the latest time the connection is expected to keep working, the earliest of
 * its limits — the sign-on session's 30 days (unless session validation is skipped), the
 * refresh token's duration since it was issued, and the rolling cap since sign-on. The
 * session may end sooner (signoff, deletion, purge): nothing tells the server beforehand.
 */
export function reauthBy(settings: LifecycleSettings, issuance: Issuance): number {
  const duration = (settings.refreshTokenDuration ?? DEFAULT_REFRESH_TOKEN_DURATION_S) * 1000;
  const rolling =
    (settings.refreshTokenRollingDuration ?? DEFAULT_REFRESH_TOKEN_ROLLING_DURATION_S) * 1000;
  const refreshToken = Math.min(issuance.issuedAt + duration, issuance.signedOnAt + rolling);
  return settings.skipTokenSessionValidation
    ? refreshToken
    : Math.min(issuance.signedOnAt + SIGN_ON_SESSION_LIFE_MS, refreshToken);
}

/** What the server knows of a connection whose refresh token PingOne just refused. */
export interface Refusal {
  /** Its sign-on time and `reauth_by`; null for a connection from before they were kept. */
  readonly signedOnAt: number | null;
  readonly reauthBy: number | null;
  readonly now: number;
  /** The refresh retried one that died mid-call (DESIGN §6.8). */
  readonly interrupted: boolean;
  /** Its tokens are a custom resource's, which `/as/revoke` ends (`isRevocable`). */
  readonly revocable: boolean;
}

/**
 * Why PingOne refused a refresh token with `invalid_grant`. PingOne documents no
 * `error_description` for it (the emulator's is oidc-provider's), so the wording is not read;
 * the reason is told from the time and the grant instead:
 *
 * - past `reauth_by`, the limit it stands for ended it: the sign-on session's 30 days when that
 *   is the earliest, else the refresh token's duration or rolling cap;
 * - else, a refresh retried after a crash was most likely refused for the rotation it lost;
 * - else, a session-bound grant that `/as/revoke` cannot end (PingOne API or OpenID Connect
 *   scopes) ended with its session: "To revoke a refresh token, the corresponding session must
 *   be deleted. Session termination is supported only by the resource owner using the
 *   /{{envID}}/as/signoff endpoint or by disabling the user"
 *   (https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-refresh_token-client-secret-basic.html);
 * - anything else (a revocable grant, a token free of its session, an old row) PingOne
 *   refused for a reason the server cannot tell.
 */
export function refusalReason(settings: LifecycleSettings, refusal: Refusal): ReauthReason {
  const { signedOnAt, reauthBy, now, interrupted, revocable } = refusal;
  if (signedOnAt === null || reauthBy === null) {
    return interrupted ? 'refresh_interrupted' : 'invalid_grant';
  }
  if (reauthBy <= now) {
    const sessionEnds = settings.skipTokenSessionValidation
      ? undefined
      : signedOnAt + SIGN_ON_SESSION_LIFE_MS;
    return sessionEnds !== undefined && sessionEnds <= reauthBy
      ? 'session_ended'
      : 'refresh_token_expired';
  }
  if (interrupted) return 'refresh_interrupted';
  return settings.skipTokenSessionValidation || revocable ? 'invalid_grant' : 'session_ended';
}
