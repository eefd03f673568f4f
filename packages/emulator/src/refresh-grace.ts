import type { KoaContextWithOIDC, RefreshToken } from 'oidc-provider';
import type { ResolvedClient } from './options.js';

/** A used refresh token whose grace period has not ended. */
interface Rotation {
  /** `Date.now()` at which the grace period ends: oidc-provider's own clock, so fake timers move both. */
  closesAt: number;
  /** The refresh token it was last exchanged for. */
  successor: string;
  /** The one reuse the grace period allows has been spent. */
  reused: boolean;
}

/**
 * PingOne's refresh token reuse grace period, the application's
 * `refreshTokenRollingGracePeriodDuration`: "the number of seconds that a refresh token may be
 * reused after having been exchanged for a new set of tokens", for clients that lose the answer
 * to a network error; 0 to 86400 seconds, null treated as 0. Outside it, a reused refresh token
 * is revoked with all its descendants (`additionalRefreshTokenReplayProtectionEnabled`, on by
 * default).
 * - https://developer.pingidentity.com/pingone-api/workflow-library/application-management/configure-an-application-with-a-refresh-token-grant/step-1-create-an-application.html
 * - https://github.com/pingidentity/terraform-provider-pingone/blob/main/docs/resources/application.md
 *   (`oidc_options.refresh_token_rolling_grace_period_duration`,
 *   `oidc_options.additional_refresh_token_replay_protection_enabled`)
 *
 * PingOne does not document how often the token may be reused within the period, nor what
 * happens to the token the first exchange issued. The emulator takes the strictest reading,
 * since it must never be kinder than PingOne:
 * - the previous token works once more; a second reuse revokes the chain;
 * - only while it is the previous one: once the token it was exchanged for has been used
 *   itself, reusing it revokes the chain;
 * - the reuse abandons the token the first exchange issued: it counts as used, so replaying it
 *   revokes the chain;
 * - introspection reports the used token inactive throughout.
 */
export class RefreshGrace {
  /** Grace period in ms by client id, for clients that have one. */
  readonly #periods: Map<string, number>;
  /** Used refresh tokens (by jti) still within their grace period. */
  readonly #rotations = new Map<string, Rotation>();
  /** Successor jti → the used token it replaced, to end that one's grace when it is used. */
  readonly #replaced = new Map<string, string>();

  constructor(clients: readonly ResolvedClient[]) {
    this.#periods = new Map(
      clients
        .filter((client) => (client.refreshTokenRollingGracePeriodDuration ?? 0) > 0)
        .map((client) => [client.clientId, client.refreshTokenRollingGracePeriodDuration! * 1000]),
    );
  }

  /**
   * Lets a used refresh token through once within its grace period. oidc-provider has no hook
   * for this; its refresh_token grant asks `findAccount` as the last step before it checks
   * whether the token was used (client, expiry, grant and scope are checked by then), so
   * `findAccount` calls this, and clearing `consumed` on the loaded token makes that check pass.
   * The grant then consumes the token again and issues a fresh pair. The stored token stays used.
   */
  async admit(ctx: KoaContextWithOIDC, token: { kind?: string } | undefined): Promise<void> {
    if (ctx.oidc.route !== 'token' || ctx.oidc.params?.grant_type !== 'refresh_token') return;
    if (token?.kind !== 'RefreshToken') return;
    const used = token as RefreshToken;
    if (!used.consumed) return;
    const rotation = this.#rotations.get(used.jti);
    if (!rotation || rotation.reused || Date.now() >= rotation.closesAt) return;
    // Marked before any await: a concurrent replay of the same token finds the reuse spent.
    rotation.reused = true;
    used.consumed = undefined;
    const abandoned = await ctx.oidc.provider.RefreshToken.find(rotation.successor);
    if (abandoned && !abandoned.consumed) await abandoned.consume();
  }

  /**
   * oidc-provider's `grant.success` listener: remembers each rotation of a client with a grace
   * period. It runs once the new pair is made, a few ms after the old token was marked used; a
   * replay within those ms finds no grace and revokes the chain, which errs on the strict side.
   */
  readonly recordRotation = (ctx: KoaContextWithOIDC): void => {
    const used = ctx.oidc.entities.RotatedRefreshToken;
    const issued = ctx.oidc.entities.RefreshToken;
    if (!used || !issued || used === issued) return;
    const now = Date.now();
    this.#prune(now);

    // `used` is no longer the newest token, so the one it replaced is no longer the previous one.
    const before = this.#replaced.get(used.jti);
    if (before !== undefined) {
      this.#rotations.delete(before);
      this.#replaced.delete(used.jti);
    }

    const reused = this.#rotations.get(used.jti);
    if (reused) {
      // The grace reuse: the chain goes on from the token it issued.
      this.#replaced.delete(reused.successor);
      reused.successor = issued.jti;
    } else {
      const period = this.#periods.get(used.clientId ?? '');
      if (!period) return;
      this.#rotations.set(used.jti, {
        closesAt: now + period,
        successor: issued.jti,
        reused: false,
      });
    }
    this.#replaced.set(issued.jti, used.jti);
  };

  #prune(now: number): void {
    for (const [jti, rotation] of this.#rotations) {
      if (rotation.closesAt > now) continue;
      this.#rotations.delete(jti);
      if (this.#replaced.get(rotation.successor) === jti) this.#replaced.delete(rotation.successor);
    }
  }
}
