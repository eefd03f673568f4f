import type { Context, MiddlewareHandler } from 'hono';
import { randomToken } from '../crypto/random.js';
import type { ApiError } from '../errors.js';
import { renderFailure, type PopupTarget } from '../oauth/result-page.js';

/** Context variables set by {@link popupHeaders}, and the target the popup's routes set. */
export interface PopupVariables {
  /** The CSP nonce of this response, for its one `<script>` and `<style>`. */
  cspNonce: string;
  /**
   * Renders a failure: the app's `onError` uses it when set, else the error's JSON. The
   * popup's renderer answers with the result page, posting the error to `popupTarget`.
   */
  renderError?: (error: ApiError) => Response;
  /**
   * The attempt a failure in the popup reports on, and the only origin it may report to, as
   * far as the route knows so far; `null` or unset: the page only shows the error.
   */
  popupTarget?: PopupTarget | null;
}

/**
 * The headers of every page shown in the popup (DESIGN §5.9): a CSP with a fresh nonce per
 * response, no referrer, no caching, no sniffing, no framing. The opener policy is set to
 * `unsafe-none` explicitly: `same-origin` (Hono's `secureHeaders()` default) would sever the
 * popup from the page that opened it and its result could never be posted.
 *
 * It also sets the popup's one error renderer (`c.var.renderError`), so that every failure
 * of these routes — thrown by a handler, a middleware or a body limit — is the result page.
 *
 * @param formActionOrigins The PingOne auth origins a form on these pages may target.
 */
export function popupHeaders(formActionOrigins: readonly string[]): MiddlewareHandler<{
  Variables: PopupVariables;
}> {
  const formAction = ["'self'", ...new Set(formActionOrigins)].join(' ');
  return async (c, next) => {
    const nonce = randomToken(16);
    c.set('cspNonce', nonce);
    c.set('renderError', (error) => renderPopupFailure(c, nonce, error));
    await next();
    setPageHeaders(c.res.headers, nonce, formAction);
  };
}

/**
 * The headers of a server-rendered page (DESIGN §5.9), the popup's and the hosted link page's.
 *
 * @param formAction The CSP `form-action` source list.
 */
export function setPageHeaders(headers: Headers, nonce: string, formAction: string): void {
  headers.set(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "frame-ancestors 'none'",
      `form-action ${formAction}`,
      "base-uri 'none'",
    ].join('; '),
  );
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Cache-Control', 'no-store');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Cross-Origin-Opener-Policy', 'unsafe-none');
}

function renderPopupFailure(
  c: Context<{ Variables: PopupVariables }>,
  nonce: string,
  error: ApiError,
): Response {
  const page = renderFailure(nonce, c.var.popupTarget ?? null, error.toResultError());
  return c.html(page, error.status, error.headers);
}
