import { randomUUID } from 'node:crypto';
import type { SignOnSession, SignOnSessionEndReason } from './types.js';

/** PingOne's cap: "PingOne allows up to 10 sessions per user." (token-validation page) */
export const MAX_SESSIONS_PER_USER = 10;

/** PingOne's default: the sign-on session idle timeout of its sign-on policies, 30 days. */
export const DEFAULT_SIGN_ON_SESSION_TTL = 30 * 24 * 3600;

/** One sign-on: a user signing on in one browser (one oidc-provider session) at one moment. */
interface SessionRecord {
  /** The `sid` claim of every token issued within this sign-on. */
  readonly id: string;
  readonly userId: string;
  /** oidc-provider's `Session.uid` of the browser session, which tokens carry as `sessionUid`. */
  readonly browserUid: string;
  /** oidc-provider's `loginTs` (seconds), which tokens carry as `authTime`. */
  readonly loginTs: number;
  readonly expiresAt: number;
  endedAt?: number;
  endReason?: SignOnSessionEndReason;
}

/**
 * PingOne's sign-on sessions, which refresh tokens (and access tokens) are bound to unless the
 * application sets `skipTokenSessionValidation`. From the token-validation page,
 * https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-validation.html :
 * "By default, PingOne takes session validity into consideration when evaluating whether a
 * refresh token is valid at the token or introspection endpoint. If the session is invalid, the
 * refresh token is considered invalid even if it has not expired. Likewise, for access tokens
 * obtained through a grant type involving a user, the same session-validity constraint applies."
 * "A session becomes invalid after: Signoff, Session expired, Session deleted by API, Session
 * purged." "PingOne allows up to 10 sessions per user. If another session is started, the
 * oldest session is purged by the system."
 *
 * The session's life: PingOne's session-token-settings page says "For PingOne sign-on policies,
 * the idle timeout is 30 days (this is not configurable)". It does not say what counts as
 * activity, so the emulator takes the stricter reading: the session ends 30 days (or the
 * configured lifetime) after sign-on, and nothing extends it — neither refreshing nor signing in
 * again through the same browser session without a new sign-on.
 * https://developer.pingidentity.com/pingone-api/platform/session-token-settings/index.html
 *
 * Times are read from `Date.now()`, so tests move them with fake timers.
 */
export class SignOnSessions {
  readonly #lifetimeMs: number;
  readonly #byId = new Map<string, SessionRecord>();
  readonly #bySignOn = new Map<string, SessionRecord>();
  /** Told when a session ends before its time, to drop the browser's oidc-provider session. */
  readonly #onEnd: (record: { browserUid: string; loginTs: number }) => void;

  constructor(
    lifetimeSeconds: number,
    onEnd: (record: { browserUid: string; loginTs: number }) => void = () => {},
  ) {
    this.#lifetimeMs = lifetimeSeconds * 1000;
    this.#onEnd = onEnd;
  }

  /** The lifetime in seconds. */
  get lifetime(): number {
    return this.#lifetimeMs / 1000;
  }

  /**
   * Records a sign-on, once per browser session and sign-on time; purges the user's oldest
   * sessions beyond {@link MAX_SESSIONS_PER_USER}.
   */
  signedOn(browserUid: string, loginTs: number, userId: string): SessionRecord {
    const key = `${browserUid} ${loginTs}`;
    const known = this.#bySignOn.get(key);
    if (known) return known;
    const record: SessionRecord = {
      id: randomUUID(),
      userId,
      browserUid,
      loginTs,
      expiresAt: loginTs * 1000 + this.#lifetimeMs,
    };
    this.#bySignOn.set(key, record);
    this.#byId.set(record.id, record);

    const now = Date.now();
    const live = [...this.#byId.values()]
      .filter((r) => r.userId === userId && this.#live(r, now))
      .sort((a, b) => a.loginTs - b.loginTs);
    for (const oldest of live.slice(0, Math.max(0, live.length - MAX_SESSIONS_PER_USER))) {
      this.end(oldest.id, 'purged');
    }
    return record;
  }

  /** The sign-on a token was issued in (by its `sessionUid` and `authTime`), or undefined. */
  of(browserUid: string | undefined, loginTs: number | undefined): SessionRecord | undefined {
    if (browserUid === undefined || loginTs === undefined) return undefined;
    return this.#bySignOn.get(`${browserUid} ${loginTs}`);
  }

  byId(id: string): SessionRecord | undefined {
    return this.#byId.get(id);
  }

  /** Whether the session is still valid: not ended and within its life. */
  isActive(record: SessionRecord | undefined): boolean {
    return record !== undefined && this.#live(record, Date.now());
  }

  /** Ends a session (signoff, deletion, purge); false when there is none or it had ended. */
  end(id: string, reason: SignOnSessionEndReason): boolean {
    const record = this.#byId.get(id);
    if (!record || !this.#live(record, Date.now())) return false;
    record.endedAt = Date.now();
    record.endReason = reason;
    this.#onEnd(record);
    return true;
  }

  /** Every session this emulator has seen, as tests read them. */
  list(): SignOnSession[] {
    const now = Date.now();
    return [...this.#byId.values()].map((r) => {
      const expired = r.endedAt === undefined && now >= r.expiresAt;
      const endedAt = r.endedAt ?? (expired ? r.expiresAt : undefined);
      const endReason = r.endReason ?? (expired ? 'expired' : undefined);
      return {
        id: r.id,
        userId: r.userId,
        signedOnAt: new Date(r.loginTs * 1000),
        expiresAt: new Date(r.expiresAt),
        ...(endedAt !== undefined && { endedAt: new Date(endedAt) }),
        ...(endReason && { endReason }),
      };
    });
  }

  #live(record: SessionRecord, now: number): boolean {
    return record.endedAt === undefined && now < record.expiresAt;
  }
}

/** What a token says of where it was issued: oidc-provider's token properties. */
export interface SessionBoundToken {
  clientId?: string | undefined;
  sessionUid?: string | undefined;
  authTime?: number | undefined;
}

/**
 * Applies PingOne's session validation to tokens: a token is good only while the sign-on
 * session it was issued in lives, unless its client sets `skipTokenSessionValidation` ("the
 * platform allows the use of valid (unexpired) access tokens and refresh tokens after the user
 * session becomes invalid", token-validation page).
 */
export class SessionBinding {
  readonly sessions: SignOnSessions;
  readonly #skipping: ReadonlySet<string>;

  constructor(sessions: SignOnSessions, skipping: Iterable<string>) {
    this.sessions = sessions;
    this.#skipping = new Set(skipping);
  }

  /** Whether the client's tokens outlive the session (`skipTokenSessionValidation`). */
  skips(clientId: string | undefined): boolean {
    return clientId !== undefined && this.#skipping.has(clientId);
  }

  /** The `sid` of the sign-on a token was issued in. */
  sidOf(token: SessionBoundToken): string | undefined {
    return this.sessions.of(token.sessionUid, token.authTime)?.id;
  }

  /** Whether an oidc-provider token (code, refresh or opaque access token) is still good. */
  holds(token: SessionBoundToken): boolean {
    return (
      this.skips(token.clientId) ||
      this.sessions.isActive(this.sessions.of(token.sessionUid, token.authTime))
    );
  }

  /** Whether a JWT access token, by its `sid` and `client_id` claims, is still good. */
  holdsSid(sid: unknown, clientId: unknown): boolean {
    if (typeof clientId === 'string' && this.skips(clientId)) return true;
    return typeof sid === 'string' && this.sessions.isActive(this.sessions.byId(sid));
  }
}
