import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session cookie's name. */
export const SESSION_COOKIE = 'pingone_connect_dashboard';

/** Where the dashboard lives and how its cookie is sent, from `PUBLIC_URL`. */
export interface CookieScope {
  /** The dashboard's path, e.g. `/dashboard` (or under the path the app is mounted at). */
  readonly path: string;
  /** `Secure` when `PUBLIC_URL` is https. */
  readonly secure: boolean;
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page sends it, which is
 * the first defence against CSRF), only under the dashboard's path, `Secure` on https. It lives
 * as long as the session may at most; the server ends it sooner when idle.
 */
export function writeSessionCookie(c: Context, scope: CookieScope, id: string, maxAgeMs: number) {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: scope.path,
    secure: scope.secure,
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(c: Context, scope: CookieScope) {
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'Strict',
    path: scope.path,
    secure: scope.secure,
  });
}
