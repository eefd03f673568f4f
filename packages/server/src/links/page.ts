import type { ResultError } from '@pingone-connect/protocol';
import { escapeHtml } from '../oauth/result-page.js';
import type { LinkStrings } from './strings.js';

/** What the hosted link page shows (DESIGN §4.9). */
export type LinkPage =
  | {
      readonly kind: 'connect';
      /** The integration's display name, else its id. */
      readonly integration: string;
      readonly organization: string | null;
      /** Where the Connect button posts: the link itself. */
      readonly action: string;
    }
  | { readonly kind: 'connected' }
  | { readonly kind: 'failed'; readonly error: ResultError }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unknown' };

// Light by default, dark when the system says so; no asset leaves the page.
const STYLE = `
:root{color-scheme:light dark;--fg:#1a1a1a;--muted:#4a4a4a;--bg:#f6f7f9;--card:#fff;--accent:#b3282d;--on-accent:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#f0f0f0;--muted:#c0c0c0;--bg:#16181c;--card:#22252b;--accent:#e0585d;--on-accent:#111}}
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:28rem;margin:1rem;padding:2rem;text-align:center;background:var(--card);border-radius:12px}
h1{font-size:1.25rem;margin:0 0 .5rem}
p{margin:0 0 1rem;color:var(--muted)}
button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:8px;background:var(--accent);color:var(--on-accent);cursor:pointer}
button:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
.code{font-size:.8rem}`;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function body(page: LinkPage, strings: LinkStrings): { title: string; html: string } {
  switch (page.kind) {
    case 'connect': {
      const intro = page.organization
        ? fill(strings.introWithOrganization, {
            integration: page.integration,
            organization: page.organization,
          })
        : fill(strings.intro, { integration: page.integration });
      // A plain form: the page needs no script, and nothing secret goes in a URL.
      return {
        title: strings.title,
        html: `<h1>${escapeHtml(strings.title)}</h1>
<p>${escapeHtml(intro)}</p>
<form method="post" action="${escapeHtml(page.action)}"><button type="submit">${escapeHtml(strings.connect)}</button></form>`,
      };
    }
    case 'connected':
      return {
        title: strings.connected,
        html: `<h1>${escapeHtml(strings.connected)}</h1>\n<p>${escapeHtml(strings.connectedText)}</p>`,
      };
    case 'failed':
      return {
        title: strings.failed,
        html: `<h1>${escapeHtml(strings.failed)}</h1>
<p>${escapeHtml(page.error.message)}</p>
<p class="code">${escapeHtml(strings.errorCode)}: <code>${escapeHtml(page.error.code)}</code></p>`,
      };
    case 'gone':
      return {
        title: strings.gone,
        html: `<h1>${escapeHtml(strings.gone)}</h1>\n<p>${escapeHtml(strings.goneText)}</p>`,
      };
    case 'unknown':
      return {
        title: strings.unknown,
        html: `<h1>${escapeHtml(strings.unknown)}</h1>\n<p>${escapeHtml(strings.unknownText)}</p>`,
      };
  }
}

/** The hosted link page, with its one `<style>` under the response's CSP nonce. */
export function renderLinkPage(nonce: string, strings: LinkStrings, page: LinkPage): string {
  const { title, html } = body(page, strings);
  return `<!doctype html>
<html lang="${strings.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${html}
</main>
</body>
</html>
`;
}
