import { randomBytes } from 'node:crypto';
import { html, raw } from 'hono/html';

/** A rendered page and the headers it must be served with. */
export interface Page {
  body: string;
  headers: Record<string, string>;
}

/** What every page may need beyond its own content. */
export interface PageOptions {
  /** Send `Cross-Origin-Opener-Policy: same-origin` (a fault switch). */
  coop?: boolean;
}

// System fonts only: a page of the emulator must not make a single request off the machine.
const STYLE = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d1d1f}
.banner{background:#b00020;color:#fff;text-align:center;padding:.5rem;font-weight:600}
main{max-width:22rem;margin:2.5rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.3rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;border:1px solid #999;border-radius:4px}
button{font:inherit;padding:.5rem 1rem;margin:1rem .5rem 0 0;border:0;border-radius:4px;background:#0a5fca;color:#fff;cursor:pointer}
button.secondary{background:#e3e5e8;color:#1d1d1f}.error{color:#b00020;font-weight:600}code{word-break:break-all}`;

/**
 * The security headers of every emulator page: a CSP with a per-response nonce, no framing, no
 * caching, no referrer. No `form-action`: Chromium applies it to every redirect that follows a
 * form post, and the consent post's redirects go on past the client's redirect URI to wherever
 * the client sends the browser next (an application that comes back to its own page, say).
 * PingOne's sign-on UI leaves no such limit: it reaches the authorization service's resume
 * endpoint by redirecting there, and the resume endpoint answers the redirect to the client
 * (https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/resume.html).
 */
function pageHeaders(nonce: string, { coop = false }: PageOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (coop) headers['Cross-Origin-Opener-Policy'] = 'same-origin';
  return headers;
}

async function layout(title: string, content: unknown, options: PageOptions = {}): Promise<Page> {
  const nonce = randomBytes(16).toString('base64');
  const body = await html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · PingOne emulator</title>
        <style nonce="${nonce}">
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <div class="banner" role="note">
          PingOne emulator — not PingOne. For local development and tests only.
        </div>
        <main>
          <h1>${title}</h1>
          ${content}
        </main>
      </body>
    </html>`;
  return { body: String(body), headers: pageHeaders(nonce, options) };
}

/** The sign-on form: fields `username` and `password`, button "Sign on". */
export function signOnPage(
  input: { action: string; clientName: string; username?: string; error?: string },
  options: PageOptions,
): Promise<Page> {
  return layout(
    'Sign on',
    html`<p>to continue to <strong>${input.clientName}</strong></p>
      ${input.error ? html`<p class="error" role="alert">${input.error}</p>` : ''}
      <form method="post" action="${input.action}">
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          required
          value="${input.username ?? ''}"
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">Sign on</button>
      </form>`,
    options,
  );
}

/** The consent form: buttons "Allow" and "Deny" (field `decision`). */
export function consentPage(
  input: { action: string; clientName: string; username: string; scopes: string[] },
  options: PageOptions,
): Promise<Page> {
  return layout(
    'Allow access?',
    html`<p>
        <strong>${input.clientName}</strong> asks to access your account
        (<strong>${input.username}</strong>) with these scopes:
      </p>
      <ul>
        ${input.scopes.map((scope) => html`<li><code>${scope}</code></li>`)}
      </ul>
      <form method="post" action="${input.action}">
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
      </form>`,
    options,
  );
}

/** An error the emulator cannot send back to a client (unknown client, bad redirect URI, …). */
export function errorPage(error: string, description: string): Promise<Page> {
  return layout(
    'Something went wrong',
    html`<p class="error" role="alert"><code id="error-code">${error}</code></p>
      <p id="error-description">${description}</p>`,
  );
}

/** Shown after a sign-off when the client gave no post-logout redirect URI. */
export function signedOffPage(): Promise<Page> {
  return layout('Signed off', html`<p>You have signed off. You can close this window.</p>`);
}
