import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from '../context.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { connectionRoutes } from './connections.js';
import type { CookieScope } from './cookie.js';
import type { PageDeps } from './deps.js';
import { requireSignIn } from './guard.js';
import { dashboardHeaders } from './headers.js';
import { logRoutes } from './logs.js';
import { overviewRoutes } from './overview.js';
import { PasswordCheck } from './password.js';
import { DashboardSessions } from './session.js';
import { signInRoutes } from './sign-in.js';
import { tenantRoutes } from './tenants.js';
import { webhookRoutes } from './webhooks.js';

/** Sign-in attempts a client may make in a burst; it regains them at this many per minute. */
export const SIGN_IN_PER_MINUTE = 5;

/** Options of {@link dashboardApp}. */
export interface DashboardOptions {
  /** `DASHBOARD_PASSWORD`. */
  readonly password: string;
  /** Who a sign-in attempt counts against: the app's client address reader. */
  readonly limitKey: Parameters<typeof rateLimit>[0]['key'];
}

/**
 * The operator dashboard (DESIGN §4.11), to mount at `/dashboard`: server-rendered pages over
 * the same functions the API routes call. Every page and endpoint but sign-in is behind
 * {@link requireSignIn}, which also checks the CSRF token of every POST (§5.17).
 */
export function dashboardApp(services: Services, options: DashboardOptions): Hono<AppEnv> {
  const publicUrl = new URL(services.config.publicUrl);
  const base = `${publicUrl.pathname.replace(/\/$/, '')}/dashboard`;
  const scope: CookieScope = { path: base, secure: publicUrl.protocol === 'https:' };
  const sessions = new DashboardSessions(services.store.dashboardSessions, services.clock);
  const limit: MiddlewareHandler = rateLimit({
    perMinute: SIGN_IN_PER_MINUTE,
    key: options.limitKey,
    clock: services.clock,
  });
  const deps: PageDeps = { services, base };

  const app = new Hono<AppEnv>();
  app.use(dashboardHeaders(base));
  signInRoutes(app, {
    base,
    scope,
    sessions,
    password: new PasswordCheck(options.password),
    limit,
    origin: publicUrl.origin,
  });
  app.use(requireSignIn(base, sessions));
  overviewRoutes(app, deps);
  connectionRoutes(app, deps);
  logRoutes(app, deps);
  tenantRoutes(app, deps);
  webhookRoutes(app, deps);
  return app;
}
