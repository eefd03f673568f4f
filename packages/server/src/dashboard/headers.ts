import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../context.js';
import { randomToken } from '../crypto/random.js';
import type { ApiError } from '../errors.js';
import { setPageHeaders } from '../middleware/popup-headers.js';
import { layout, type PageFrame } from './layout.js';

/** The page frame of this response: base path, nonce, and the session's CSRF token when signed in. */
export function frameOf(c: Context<AppEnv>, base: string): PageFrame {
  const session = c.get('dashboardSession') as AppEnv['Variables']['dashboardSession'] | undefined;
  return {
    base,
    nonce: c.var.cspNonce,
    ...(session ? { csrfToken: session.csrfToken } : {}),
  };
}

/** A failure as a page: its status, and its message (which never holds a secret). */
async function errorPage(c: Context<AppEnv>, base: string, error: ApiError): Promise<Response> {
  const title =
    error.status === 403
      ? 'Not allowed'
      : error.status === 429
        ? 'Too many attempts'
        : 'Something went wrong';
  const page = await layout(frameOf(c, base), {
    title,
    body: html`<p role="alert">${error.message}</p>
      <p class="muted">Code: <code>${error.code}</code></p>
      <p><a href="${base}">Back to the dashboard</a></p>`,
  });
  return c.html(page, error.status, error.headers);
}

/**
 * The headers of every dashboard response (DESIGN §4.11, as §5.9): a CSP with a fresh nonce
 * (`default-src 'none'`, scripts and styles only under the nonce, `connect-src 'self'` for the
 * live tail's event stream, forms only to the server itself, no framing), no referrer, no
 * caching, no sniffing. Its failures are pages too.
 */
export function dashboardHeaders(base: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const nonce = randomToken(16);
    c.set('cspNonce', nonce);
    // `onError` renders through this synchronously; the page is built before the response.
    c.set('renderError', (error) => {
      const response = errorPage(c, base, error);
      return new Response(
        new ReadableStream({
          async start(controller) {
            const page = await response;
            controller.enqueue(new Uint8Array(await page.arrayBuffer()));
            controller.close();
          },
        }),
        {
          status: error.status,
          headers: { 'content-type': 'text/html; charset=UTF-8', ...error.headers },
        },
      );
    });
    await next();
    setPageHeaders(c.res.headers, nonce, "'self'");
    // The live tail reads its event stream from the server itself.
    const csp = c.res.headers.get('Content-Security-Policy');
    c.res.headers.set('Content-Security-Policy', `${csp}; connect-src 'self'`);
  };
}
