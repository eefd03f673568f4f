import type { Context } from 'hono';

/**
 * Whether a form was posted by a page other than the server's own, so that a form on another
 * site cannot act in a visitor's browser. The server's pages send `no-referrer`, which makes
 * the browser send `Origin: null` on their own posts, so the fetch metadata decide when the
 * browser sends them; otherwise only a named foreign origin is refused.
 */
export function postedFromElsewhere(c: Context, serverOrigin: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin';
  const origin = c.req.header('origin');
  return origin !== undefined && origin !== 'null' && origin !== serverOrigin;
}
