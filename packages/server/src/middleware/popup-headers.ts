import type { MiddlewareHandler } from 'hono';
import { randomToken } from '../crypto/random.js';

/** Context variables set by {@link popupHeaders}. */
export interface PopupVariables {
  /** The CSP nonce of this response, for its one `<script>` and `<style>`. */
  cspNonce: string;
}

/**
 * The headers of every page shown in the popup (DESIGN §5.9): a CSP with a fresh nonce per
 * response, no referrer, no caching, no sniffing, no framing. The opener policy is set to
 * `unsafe-none` explicitly: `same-origin` (Hono's `secureHeaders()` default) would sever the
 * popup from the page that opened it and its result could never be posted.
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
    await next();
    const headers = c.res.headers;
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
  };
}
