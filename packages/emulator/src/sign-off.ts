import type { KoaContextWithOIDC } from 'oidc-provider';
import { withCorrelationId } from './correlation-id.js';
import { errorPage } from './pages.js';
import type { Provider } from './quiet-oidc-provider.js';
import type { SignOnSessions } from './sign-on-sessions.js';

/** A signoff request body is a handful of parameters; anything longer is refused. */
const BODY_LIMIT = 16 * 1024;

export interface SignOffInput {
  sessions: SignOnSessions;
  /** Post-logout redirect URIs by client id (PingOne's `postLogoutRedirectUris`). */
  postLogoutRedirectUris: ReadonlyMap<string, readonly string[]>;
  /** Where the browser goes when the request names no post-logout redirect URI. */
  signedOutUrl: string;
  /** The `Set-Cookie` options of oidc-provider's session cookie, to clear it. */
  sessionCookie: { name: string; options: Record<string, unknown> };
}

class SignOffError extends Error {}

async function formBody(ctx: KoaContextWithOIDC): Promise<URLSearchParams> {
  const type = ctx.get('content-type').split(';')[0]?.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new SignOffError('The request body is too large.');
    chunks.push(chunk);
  }
  if (type !== 'application/x-www-form-urlencoded') return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new SignOffError(`${name} must not be repeated.`);
  return values[0] || undefined;
}

/**
 * PingOne's signoff endpoint, `GET` or `POST {issuer}/signoff`:
 * https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/signoff.html
 * https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/authorization/signoff-post.html
 * https://apidocs.pingidentity.com/pingone/authentication/v1/api/guide/p1-a_Signoff/
 *
 * - It ends the session of the `Cookie` ("The Cookie request header specifies the current session
 *   token"), expires the session cookie, and answers `302 Found`: to `post_logout_redirect_uri`
 *   (with `state`), or else to PingOne's signed-out page, "passing in the environmentId query
 *   parameter". There is no confirmation page.
 * - `id_token_hint` is optional; when given, "It must be signed by an application identified in
 *   the aud claim", its `iss` must be this issuer, "The id_token_hint value can be used even if it
 *   has expired", and "The user identified by the ID token must be the user identified by the
 *   current session."
 * - `post_logout_redirect_uri`: "When id_token_hint is specified, this URI must match one of the
 *   postLogoutRedirectUri values for the application using id_token_hint. If
 *   post_logout_redirect_uri is specified, and it does not match one of the postLogoutRedirectUri
 *   values of any enabled application in the specified environment, this condition is handled as
 *   an un-redirectable error." The emulator shows its error page for those, and for a bad hint.
 * - Without the session cookie nothing can be ended (PingOne's `idpSignoff`, off by default, is
 *   what would allow it), so the browser is only redirected.
 *
 * oidc-provider's own end-session endpoint asks for confirmation and knows nothing of PingOne's
 * rules, so this middleware answers the signoff path before oidc-provider routes it.
 */
export function signOff(provider: Provider, input: SignOffInput) {
  const { sessions, postLogoutRedirectUris, signedOutUrl, sessionCookie } = input;
  const everyUri = new Set([...postLogoutRedirectUris.values()].flat());

  async function hintedUser(hint: string): Promise<{ clientId: string; sub: string }> {
    let clientId: unknown;
    try {
      const [, payload = ''] = hint.split('.');
      ({ aud: clientId } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      throw new SignOffError('The id_token_hint is not a JWT.');
    }
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    if (!client)
      throw new SignOffError('The id_token_hint names no application of this environment.');
    try {
      const { payload } = await provider.IdToken.validate(hint, client);
      return { clientId: client.clientId, sub: String(payload.sub) };
    } catch {
      throw new SignOffError('The id_token_hint is not valid for this environment.');
    }
  }

  async function handle(ctx: KoaContextWithOIDC): Promise<void> {
    const params =
      ctx.method === 'POST' ? await formBody(ctx) : new URLSearchParams(ctx.querystring);
    const hint = single(params, 'id_token_hint');
    const redirectTo = single(params, 'post_logout_redirect_uri');
    const state = single(params, 'state');

    const session = await provider.Session.get(ctx);
    const hinted = hint === undefined ? undefined : await hintedUser(hint);
    if (hinted && session.accountId && hinted.sub !== session.accountId) {
      throw new SignOffError('The id_token_hint is of another user than the signed-on one.');
    }
    if (redirectTo !== undefined) {
      const allowed = hinted ? (postLogoutRedirectUris.get(hinted.clientId) ?? []) : everyUri;
      if (![...allowed].includes(redirectTo)) {
        throw new SignOffError('The post_logout_redirect_uri is not registered.');
      }
    }

    if (session.accountId && session.loginTs) {
      const record = sessions.of(session.uid, session.loginTs);
      if (record) sessions.end(record.id, 'signoff');
      await session.destroy();
    }
    ctx.cookies.set(sessionCookie.name, null, sessionCookie.options);

    const target = new URL(redirectTo ?? signedOutUrl);
    if (redirectTo !== undefined && state !== undefined) target.searchParams.set('state', state);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(target.href);
    ctx.status = 302;
  }

  return async function signOffEndpoint(
    ctx: KoaContextWithOIDC,
    next: () => Promise<void>,
  ): Promise<void> {
    if (ctx.path !== '/signoff' && !ctx.path.startsWith('/signoff/')) return next();
    try {
      // oidc-provider's confirmation steps below /signoff are not PingOne's: nothing is there.
      if (ctx.path !== '/signoff' || (ctx.method !== 'GET' && ctx.method !== 'POST')) {
        throw new SignOffError('Nothing is served at this path.');
      }
      await handle(ctx);
    } catch (error) {
      if (!(error instanceof SignOffError)) throw error;
      const page = await errorPage('invalid_request', withCorrelationId(error.message));
      ctx.status = 400;
      ctx.set(page.headers);
      ctx.body = page.body;
    }
  };
}
