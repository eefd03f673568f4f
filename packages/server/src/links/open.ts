import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv, Services } from '../context.js';
import { randomToken } from '../crypto/random.js';
import { ApiError, failureFields, recorded, toApiError } from '../errors.js';
import { newId } from '../ids.js';
import { setPageHeaders } from '../middleware/popup-headers.js';
import { postedFromElsewhere } from '../middleware/posted-from-elsewhere.js';
import type { BindingCookie } from '../oauth/binding-cookie.js';
import { startAttempt } from '../oauth/connect.js';
import { sessionRefusal } from '../connections/save.js';
import type { LinkRecord } from '../store/links.js';
import type { SessionRecord } from '../store/sessions.js';
import { parseLink, secretMatches } from './credential.js';
import { renderLinkPage, type LinkPage } from './page.js';
import { linkStringsFor } from './strings.js';

/**
 * Why a link opens no flow. Its pages are HTML for a person, not the JSON API: `unknown` is a
 * 404 (no such link, or the wrong secret, alike), `gone` a 410 (expired, used, revoked, or its
 * session can no longer connect). Neither is an error code of the API (DESIGN §4.3).
 */
class LinkUnusable extends Error {
  constructor(readonly kind: 'unknown' | 'gone') {
    super(kind);
    this.name = new.target.name;
  }
}

/** Renders a link page with the request's language. */
function page(c: Context<AppEnv>, content: LinkPage, status: ContentfulStatusCode = 200) {
  const strings = linkStringsFor(c.req.header('accept-language'));
  return c.html(renderLinkPage(c.var.cspNonce, strings, content), status);
}

/**
 * The headers of the hosted link pages (DESIGN §4.9, as §5.9): a CSP with a fresh nonce whose
 * `form-action` lists where the Connect button's post may end up (see `formActionsOf`), no
 * referrer, no caching. Its failures are pages too.
 */
export function linkPageHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const nonce = randomToken(16);
    c.set('cspNonce', nonce);
    c.set('renderError', (error) => {
      const strings = linkStringsFor(c.req.header('accept-language'));
      const content: LinkPage = { kind: 'failed', error: error.toResultError() };
      return c.html(renderLinkPage(nonce, strings, content), error.status, error.headers);
    });
    await next();
    const formAction = ["'self'", ...(c.var.linkFormActions ?? [])];
    setPageHeaders(c.res.headers, nonce, formAction.join(' '));
  };
}

/** The link a path segment names, with its session, while it may still start a flow. */
async function openLink(
  services: Services,
  segment: string,
): Promise<{ link: LinkRecord; session: SessionRecord }> {
  const credential = parseLink(segment);
  const link = credential && (await services.store.links.find(credential.id));
  if (!credential || !link || !secretMatches(credential.secret, link.secretHash)) {
    throw new LinkUnusable('unknown');
  }
  const now = services.clock();
  if (link.usedAt !== null || link.revokedAt !== null || link.expiresAt <= now) {
    throw new LinkUnusable('gone');
  }
  const session = await services.store.sessions.find(link.sessionJti);
  if (!session || sessionRefusal(session) || session.expiresAt <= now) {
    throw new LinkUnusable('gone');
  }
  return { link, session };
}

function unusablePage(c: Context<AppEnv>, error: unknown): Response {
  if (!(error instanceof LinkUnusable)) throw error;
  return page(c, { kind: error.kind }, error.kind === 'unknown' ? 404 : 410);
}

/**
 * Where the Connect button's post may end up besides the server: Chromium applies `form-action`
 * to every redirect that follows a form post, and the post goes on to PingOne's authorize
 * endpoint and, when PingOne answers at once (a sign-on session and a grant it remembers), back
 * to the callback and on to the link's `return_url`, all in one chain.
 */
function formActionsOf(link: LinkRecord, authOrigin: string): string[] {
  return link.returnUrl === null ? [authOrigin] : [authOrigin, new URL(link.returnUrl).origin];
}

/** `GET /connect/links/:link`: the hosted page with its Connect button. Opening it uses nothing. */
export function linkPageHandler(services: Services): (c: Context<AppEnv>) => Promise<Response> {
  return async (c) => {
    try {
      const { link, session } = await openLink(services, c.req.param('link') ?? '');
      const { integration, provider } = await services.integrations.get(session.integrationId);
      c.set('linkFormActions', formActionsOf(link, provider.authOrigin));
      return page(c, {
        kind: 'connect',
        integration: integration.displayName ?? integration.id,
        organization: session.organization?.displayName ?? session.organization?.id ?? null,
        // Relative: the link's own URL, which the browser already has.
        action: '',
      });
    } catch (error) {
      return unusablePage(c, error);
    }
  };
}

/**
 * `POST /connect/links/:link`: the Connect button. The link is used up in the transaction that
 * records the attempt, so it starts one flow, and the browser goes on to PingOne in this tab
 * (DESIGN §4.9); the callback then shows the outcome here or sends the browser to the link's
 * `return_url`. The link authorizes the post; no session token is involved, none in any URL.
 */
export function linkConnectHandler(
  services: Services,
  binding: BindingCookie,
): (c: Context<AppEnv>) => Promise<Response> {
  const serverOrigin = new URL(services.config.publicUrl).origin;
  return async (c) => {
    try {
      if (postedFromElsewhere(c, serverOrigin)) throw new ApiError('forbidden_origin');
      const { link, session } = await openLink(services, c.req.param('link') ?? '');
      const attemptId = newId('att', services.clock());
      return await startAttempt(services, binding, c, {
        session,
        attemptId,
        origin: serverOrigin,
        delivery: { mode: 'link', returnTo: link.returnUrl },
        claim: async (trx) => {
          if (!(await trx.links.use(link.id, attemptId, services.clock()))) {
            throw new LinkUnusable('gone');
          }
        },
      });
    } catch (error) {
      if (error instanceof LinkUnusable) return unusablePage(c, error);
      const failure = toApiError(error);
      services.logger[failure.status >= 500 ? 'error' : 'warn'](
        'link.refused',
        failureFields(failure),
      );
      throw recorded(failure);
    }
  };
}
