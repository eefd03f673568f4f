import type { Context, Hono, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { postedFromElsewhere } from '../middleware/posted-from-elsewhere.js';
import {
  clearSessionCookie,
  readSessionCookie,
  writeSessionCookie,
  type CookieScope,
} from './cookie.js';
import { frameOf } from './headers.js';
import { layout } from './layout.js';
import { DASHBOARD_USERNAME, type PasswordCheck } from './password.js';
import { requireSignIn } from './guard.js';
import { ABSOLUTE_LIMIT_MS, type DashboardSessions } from './session.js';

/** What the sign-in routes need. */
export interface SignInDeps {
  readonly base: string;
  readonly scope: CookieScope;
  readonly sessions: DashboardSessions;
  readonly password: PasswordCheck;
  /** The rate limit of sign-in attempts (DESIGN §5.17). */
  readonly limit: MiddlewareHandler;
  /** `PUBLIC_URL`'s origin: a sign-in posted from any other is refused. */
  readonly origin: string;
}

/** Said for a wrong password and an unknown user name alike. */
const REFUSED = 'That user name and password do not match. Try again.';

/**
 * Where to go after signing in: a dashboard path of this server only (a path, never a URL of
 * another host, so no open redirect), else the overview.
 */
export function safeNext(base: string, next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return base;
  if (next !== base && !next.startsWith(`${base}/`) && !next.startsWith(`${base}?`)) return base;
  if (next.includes('\\') || next.includes('//') || /[\u0000-\u001f]/.test(next)) return base;
  return next;
}

function signInPage(c: Context<AppEnv>, deps: SignInDeps, next: string, failed: boolean) {
  const frame = frameOf(c, deps.base);
  return layout(frame, {
    title: 'Sign in',
    body: html`<form class="card signin" method="post" action="${deps.base}/sign-in">
      ${failed ? html`<p role="alert" class="notice">${REFUSED}</p>` : ''}
      <input type="hidden" name="next" value="${next}" />
      <label for="username">User name</label>
      <input
        id="username"
        name="username"
        autocomplete="username"
        value="${DASHBOARD_USERNAME}"
        required
      />
      <label for="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
      <p><button type="submit">Sign in</button></p>
    </form>`,
  });
}

/** `GET`/`POST /dashboard/sign-in` and `POST /dashboard/sign-out`. */
export function signInRoutes(app: Hono<AppEnv>, deps: SignInDeps): void {
  const { base, sessions } = deps;

  app.get('/sign-in', async (c) => {
    // Already signed in: straight on.
    const next = safeNext(base, c.req.query('next'));
    if (await sessions.resume(readSessionCookie(c))) return c.redirect(next, 303);
    return c.html(signInPage(c, deps, next, false));
  });

  app.post('/sign-in', deps.limit, async (c) => {
    // No SameSite cookie exists before sign-in: a sign-in form posted by another site (to
    // sign the visitor in as the operator) is told apart by the fetch metadata or Origin.
    if (postedFromElsewhere(c, deps.origin)) {
      throw new ApiError('forbidden_origin', 'Sign in from the dashboard’s own page.');
    }
    const form = await c.req.parseBody();
    const username = typeof form['username'] === 'string' ? form['username'] : '';
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    const next = safeNext(base, form['next']);
    if (!(await deps.password.matches(username, password))) {
      return c.html(signInPage(c, deps, next, true), 401);
    }
    const session = await sessions.start();
    writeSessionCookie(c, deps.scope, session.id, ABSOLUTE_LIMIT_MS);
    return c.redirect(next, 303);
  });

  app.post('/sign-out', requireSignIn(base, sessions), async (c) => {
    await sessions.end(c.var.dashboardSession.id);
    clearSessionCookie(c, deps.scope);
    return c.redirect(`${base}/sign-in`, 303);
  });
}
