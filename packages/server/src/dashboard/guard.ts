import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { readSessionCookie } from './cookie.js';
import { csrfMatches, type DashboardSessions } from './session.js';

/** Where a signed-out request of `path` goes: the sign-in page, which comes back here after. */
export function signInLocation(base: string, pathAndQuery: string): string {
  return `${base}/sign-in?next=${encodeURIComponent(pathAndQuery)}`;
}

/**
 * No page or endpoint of the dashboard without sign-in (DESIGN §5.17): a page answers `303` to
 * the sign-in page; the event stream (which a browser reads with `EventSource`, not as a
 * page) and anything asking for JSON answer `401 unauthorized`. A state change (every POST)
 * must carry the session's CSRF token in its form, compared in constant time, or it is
 * refused with `403` and a page, before the handler runs.
 */
export function requireSignIn(
  base: string,
  sessions: DashboardSessions,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = await sessions.resume(readSessionCookie(c));
    if (!session) {
      const accept = c.req.header('accept') ?? '';
      if (
        c.req.path.endsWith('/stream') ||
        accept.includes('text/event-stream') ||
        accept.includes('application/json')
      ) {
        return new ApiError('unauthorized', 'Sign in to the dashboard first.').getResponse();
      }
      const url = new URL(c.req.url);
      const back = c.req.method === 'GET' ? `${url.pathname}${url.search}` : base;
      return c.redirect(signInLocation(base, back), 303);
    }
    c.set('dashboardSession', session);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (!csrfMatches(session, form['csrf'])) {
        throw new ApiError(
          'forbidden_origin',
          'This form’s security token is missing or out of date. Go back, reload the page and try again.',
        );
      }
    }
    await next();
  };
}
