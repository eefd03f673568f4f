import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * The whole scope an access token stands for, as PingOne reports it: the OpenID Connect scopes
 * of the grant plus the resource's scopes. oidc-provider, strict to RFC 8707, puts only the
 * resource's scopes on a resource-bound token (`p1:read:user`); PingOne answers
 * `openid profile email p1:read:user`, in the token response and in the token's `scope` claim.
 */
export function grantedScope(
  ctx: KoaContextWithOIDC,
  resourceScope: string | undefined,
): string | undefined {
  const { entities, params } = ctx.oidc;
  const source = entities.AuthorizationCode ?? entities.RefreshToken;
  const requested = (params?.scope as string | undefined) ?? source?.scope;
  if (!entities.Grant || requested === undefined) return resourceScope;
  const oidcScope = entities.Grant.getOIDCScopeFiltered(new Set(requested.split(' ')));
  return [oidcScope, resourceScope].filter(Boolean).join(' ') || undefined;
}

/** Koa middleware: reports {@link grantedScope} in token responses for resource-bound tokens. */
export async function reportGrantedScope(
  ctx: KoaContextWithOIDC,
  next: () => Promise<void>,
): Promise<void> {
  await next();
  const token = ctx.oidc?.entities.AccessToken;
  const body = ctx.body as { access_token?: unknown; scope?: string } | undefined;
  if (
    ctx.oidc?.route === 'token' &&
    token?.resourceServer &&
    typeof body?.access_token === 'string'
  ) {
    ctx.body = { ...body, scope: grantedScope(ctx, token.scope) };
  }
}
