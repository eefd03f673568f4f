import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { STYLE } from './style.js';

/** A fragment of escaped HTML, as `hono/html` builds it. */
export type Html = Document | '' | readonly Html[];

/** A whole page, or one fragment: what `html\`…\`` returns. */
export type Document = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The sections of the navigation. */
export type Section = 'overview' | 'connections' | 'logs' | 'tenants' | 'webhooks';

const SECTIONS: readonly { section: Section; path: string; label: string }[] = [
  { section: 'overview', path: '', label: 'Overview' },
  { section: 'connections', path: '/connections', label: 'Connections' },
  { section: 'logs', path: '/logs', label: 'Operations log' },
  { section: 'tenants', path: '/tenants', label: 'Tenants' },
  { section: 'webhooks', path: '/webhooks', label: 'Webhook deliveries' },
];

/** What every page of a signed-in operator knows. */
export interface PageFrame {
  /** The dashboard's base path, e.g. `/dashboard`. */
  readonly base: string;
  /** The CSP nonce of this response. */
  readonly nonce: string;
  /** The session's CSRF token, for the sign-out form; absent on the sign-in page. */
  readonly csrfToken?: string;
}

/** A form's hidden CSRF field. */
export function csrfField(frame: PageFrame): Html {
  return html`<input type="hidden" name="csrf" value="${frame.csrfToken ?? ''}" />`;
}

/** One labelled input of a filter form, showing the value the query string kept. */
export function filterField(
  name: string,
  label: string,
  value: string | undefined,
  type = 'text',
): Html {
  return html`<div>
    <label for="${name}">${label}</label
    ><input id="${name}" name="${name}" type="${type}" value="${value ?? ''}" />
  </div>`;
}

/**
 * The page around every view: landmarks (banner, navigation, main), a skip link, one `<h1>`,
 * the stylesheet and at most one module script under the response's nonce.
 */
export function layout(
  frame: PageFrame,
  page: { title: string; section?: Section; body: Html; script?: string },
): Document {
  const nav =
    frame.csrfToken === undefined
      ? ''
      : html`<nav aria-label="Dashboard">
            <ul>
              ${SECTIONS.map(
                ({ section, path, label }) =>
                  html`<li>
                    <a
                      href="${frame.base}${path}"
                      ${page.section === section ? raw(' aria-current="page"') : ''}
                      >${label}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
          <form method="post" action="${frame.base}/sign-out">
            ${csrfField(frame)}<button type="submit" class="secondary">Sign out</button>
          </form>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>${page.title} · pingone-connect dashboard</title>
        <style nonce="${frame.nonce}">
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <span class="brand">pingone-connect</span>
          ${nav}
        </header>
        <main id="main" tabindex="-1">
          <h1>${page.title}</h1>
          ${page.body}
        </main>
        ${
          page.script
            ? html`<script type="module" nonce="${frame.nonce}">
                ${raw(page.script)};
              </script>`
            : ''
        }
      </body>
    </html> `;
}
