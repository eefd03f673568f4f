import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomToken, sha256Hex } from '../crypto/random.js';
import type { DashboardSessionRepository } from '../store/dashboard-sessions.js';

/** How long a signed-in operator may be idle before signing in again. */
export const IDLE_LIMIT_MS = 30 * 60_000;
/** How long a sign-in lasts at most, however active. */
export const ABSOLUTE_LIMIT_MS = 12 * 3_600_000;

/** A signed-in operator's session, as the pages use it. */
export interface DashboardSession {
  /** The id the cookie carries (256 random bits); stored only as its SHA-256. */
  readonly id: string;
  /** The CSRF token of every form of this session. */
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/**
 * The session's CSRF token: an HMAC of a fixed label under the session id, so it needs no
 * column, differs from what is stored, and is unknown to any page that cannot read the
 * (HttpOnly) cookie.
 */
function csrfTokenOf(id: string): string {
  return createHmac('sha256', id).update('pingone-connect dashboard csrf').digest('base64url');
}

/** Whether `given` is the session's CSRF token, compared in constant time. */
export function csrfMatches(session: DashboardSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(session.csrfToken, 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Signed-in sessions over their table, on the app's clock. */
export class DashboardSessions {
  readonly #repository: DashboardSessionRepository;
  readonly #clock: () => number;

  constructor(repository: DashboardSessionRepository, clock: () => number) {
    this.#repository = repository;
    this.#clock = clock;
  }

  /** Starts a session; sessions that expired meanwhile are cleared on the way. */
  async start(): Promise<DashboardSession> {
    const now = this.#clock();
    await this.#repository.deleteExpired(now, now - IDLE_LIMIT_MS);
    const id = randomToken(32);
    const expiresAt = now + ABSOLUTE_LIMIT_MS;
    await this.#repository.insert({
      idHash: sha256Hex(id),
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return { id, csrfToken: csrfTokenOf(id), expiresAt };
  }

  /** The session of a cookie's value, seen now; undefined when unknown, idle too long or over. */
  async resume(id: string | undefined): Promise<DashboardSession | undefined> {
    if (!id || id.length > 64) return undefined;
    const now = this.#clock();
    const record = await this.#repository.touch(sha256Hex(id), now, now - IDLE_LIMIT_MS);
    return record && { id, csrfToken: csrfTokenOf(id), expiresAt: record.expiresAt };
  }

  async end(id: string): Promise<void> {
    await this.#repository.delete(sha256Hex(id));
  }
}
