import {
  RESULT_MESSAGE_TYPE,
  type ResultError,
  type ResultMessage,
} from '@pingone-connect/protocol';

/** What the popup page says and, when it knows where, posts to its opener. */
export interface ResultPage {
  /** The CSP nonce of this response. */
  readonly nonce: string;
  /** The message for the opener; null for a page that posts nothing. */
  readonly message: ResultMessage | null;
  /** Where the message may go: the exact origin recorded for the attempt. Required with `message`. */
  readonly targetOrigin: string | null;
  readonly title: string;
  readonly text: string;
  /** Shown small under the text, for the user to quote to support. */
  readonly code?: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * JSON that is also safe inside a `<script>` element: nothing in it can close the element,
 * open a comment or end a line in older parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:28rem;padding:2rem;text-align:center}
h1{font-size:1.25rem;margin:0 0 .5rem}
p{margin:0;color:#4a4a4a}
.code{margin-top:1rem;font-size:.8rem;color:#6a6a6a}`;

/**
 * The page the popup ends on (DESIGN §4.4). Its one script posts the result to the opener at
 * the recorded origin — never `'*'` — and closes the window. Without an opener (the link was
 * cut on the way, e.g. by a Cross-Origin-Opener-Policy) the page stays and tells the user they
 * can close it; the element then learns the result by polling.
 */
export function renderResultPage(page: ResultPage): string {
  const script =
    page.message && page.targetOrigin
      ? `<script nonce="${page.nonce}">
(function () {
  var message = ${scriptJson(page.message)};
  var targetOrigin = ${scriptJson(page.targetOrigin)};
  if (!window.opener) return;
  window.opener.postMessage(message, targetOrigin);
  window.close();
})();
</script>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<style nonce="${page.nonce}">${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.text)} You can close this window.</p>
${page.code ? `<p class="code">Error code: <code>${escapeHtml(page.code)}</code></p>\n` : ''}</main>
${script}
</body>
</html>
`;
}

/** The attempt a popup page reports on, and the only origin it may report to. */
export interface PopupTarget {
  readonly attemptId: string;
  readonly origin: string;
}

/** The page after a connection was made. */
export function renderSuccess(
  nonce: string,
  target: PopupTarget,
  result: { connectionId: string; endUserId: string; scopes: readonly string[] },
): string {
  return renderResultPage({
    nonce,
    targetOrigin: target.origin,
    message: {
      v: 1,
      type: RESULT_MESSAGE_TYPE,
      attempt_id: target.attemptId,
      ok: true,
      connection_id: result.connectionId,
      end_user_id: result.endUserId,
      scopes: [...result.scopes],
    },
    title: 'PingOne account connected',
    text: 'Your PingOne account is now connected.',
  });
}

/**
 * The page after a failure. With a target the coded error is posted to it; without one
 * (the request named no origin this server may trust) the page only shows the message.
 */
export function renderFailure(
  nonce: string,
  target: PopupTarget | null,
  error: ResultError,
): string {
  return renderResultPage({
    nonce,
    targetOrigin: target?.origin ?? null,
    message: target
      ? { v: 1, type: RESULT_MESSAGE_TYPE, attempt_id: target.attemptId, ok: false, error }
      : null,
    title: 'The connection was not made',
    text: error.message,
    code: error.code,
  });
}
