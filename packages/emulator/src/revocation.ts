import type { JWTPayload } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Provider } from './quiet-oidc-provider.js';
import type { ScopeCatalog } from './scopes.js';
import type { SessionBinding, SessionBoundToken } from './sign-on-sessions.js';

/**
 * Which tokens `/as/revoke` really revokes, from PingOne's token-revocation page:
 * https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-revocation.html
 * "The revocation endpoint applies to access_token and refresh_token tokens, and the tokens to
 * be revoked must be for a custom resource. Tokens issued for the PingOne API resource may not be
 * revoked because the PingOne APIs do not use the introspection endpoint. Also, custom resource
 * tokens that do not have a sid (session) claim, such as tokens issued for the client_credentials
 * grant type, cannot be revoked."
 *
 * The page shows no response, so the emulator answers as RFC 7009 §2.2 has it — `200` whether or
 * not anything was revoked — and a client cannot tell from the answer; the token it asked about
 * simply goes on working. A refresh token is for the resource of its grant: one for `p1:` scopes,
 * or for OpenID Connect scopes alone, is not a custom resource's and stays valid. Revoking a
 * custom resource's access token also ends its grant, as RFC 7009 §2.1 allows ("MAY revoke the
 * respective refresh token as well"); no PingOne page says whether it does, and ending more is
 * the stricter reading.
 */
export function revocable(
  token: {
    kind?: string;
    resource?: unknown;
    scope?: string | undefined;
    extra?: { sid?: unknown };
  } & SessionBoundToken,
  catalog: ScopeCatalog,
  binding: SessionBinding,
): boolean {
  const custom = [resourceOf(token, catalog)].some((r) => isCustom(r, catalog));
  const sid = token.kind === 'AccessToken' ? token.extra?.sid : binding.sidOf(token);
  return custom && typeof sid === 'string';
}

function isCustom(audience: unknown, catalog: ScopeCatalog): boolean {
  return (
    typeof audience === 'string' &&
    audience !== catalog.apiAudience &&
    catalog.scopesOf(audience) !== undefined
  );
}

/** The resource a token is for: as recorded, else as its scopes name it. */
function resourceOf(
  token: { resource?: unknown; scope?: string | undefined },
  catalog: ScopeCatalog,
): unknown {
  if (typeof token.resource === 'string') return token.resource;
  try {
    return catalog.audienceFor(token.scope);
  } catch {
    return undefined;
  }
}

/** What the emulator remembers of each JWT access token it issued, to revoke and introspect it. */
export class AccessTokenLedger {
  readonly #grants = new Map<string, string>();
  readonly #revoked = new Set<string>();

  record(jti: unknown, grantId: string | undefined): void {
    if (typeof jti === 'string' && grantId) this.#grants.set(jti, grantId);
  }

  grantOf(jti: unknown): string | undefined {
    return typeof jti === 'string' ? this.#grants.get(jti) : undefined;
  }

  revoke(jti: string): void {
    this.#revoked.add(jti);
  }

  isRevoked(jti: unknown): boolean {
    return typeof jti === 'string' && this.#revoked.has(jti);
  }
}

export interface StructuredTokensInput {
  provider: Provider;
  catalog: ScopeCatalog;
  binding: SessionBinding;
  ledger: AccessTokenLedger;
  /** The claims of a JWT access token this environment signed and that has not expired. */
  verify: (token: string) => Promise<JWTPayload | undefined>;
}

function isJwt(token: unknown): token is string {
  return typeof token === 'string' && token.split('.').length === 3;
}

/** Ends a grant and every token of it, as oidc-provider's own revocation does. */
async function endGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
  ]);
  await (await provider.Grant.find(grantId))?.destroy();
}

/**
 * Koa middleware for oidc-provider: revocation and introspection of JWT access tokens, which
 * oidc-provider refuses outright (`unsupported_token_type`). It runs once oidc-provider has
 * authenticated the client and refused the JWT, and answers in its place:
 * - revocation: a custom resource's access token with a `sid`, of this client, is revoked with its
 *   grant; any other (a PingOne API token above all) is left valid; `200` either way;
 * - introspection: active while signed by this environment, unexpired, of this client, not
 *   revoked, its grant (for a custom resource) still there and its sign-on session alive.
 */
export function structuredTokens(input: StructuredTokensInput) {
  const { provider, catalog, binding, ledger, verify } = input;

  async function introspect(ctx: KoaContextWithOIDC, token: string): Promise<object> {
    const claims = await verify(token);
    if (!claims || claims.client_id !== ctx.oidc.client?.clientId) return { active: false };
    if (ledger.isRevoked(claims.jti)) return { active: false };
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const grantId = ledger.grantOf(claims.jti);
    if (
      !audiences.includes(catalog.apiAudience) &&
      (!grantId || !(await provider.Grant.find(grantId)))
    ) {
      return { active: false };
    }
    if (!binding.holdsSid(claims.sid, claims.client_id)) return { active: false };
    return { ...claims, active: true, token_type: 'Bearer' };
  }

  async function revoke(ctx: KoaContextWithOIDC, token: string): Promise<void> {
    const claims = await verify(token);
    if (!claims || claims.client_id !== ctx.oidc.client?.clientId) return;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const custom = audiences.some((a) => isCustom(a, catalog));
    if (!custom || typeof claims.sid !== 'string' || typeof claims.jti !== 'string') return;
    ledger.revoke(claims.jti);
    const grantId = ledger.grantOf(claims.jti);
    if (grantId) await endGrant(provider, grantId);
  }

  return async function jwtRevocationAndIntrospection(
    ctx: KoaContextWithOIDC,
    next: () => Promise<void>,
  ): Promise<void> {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'revocation' && route !== 'introspection') return;
    const body = ctx.body as { error?: unknown } | undefined;
    const token = ctx.oidc.params?.token;
    if (body?.error !== 'unsupported_token_type' || !ctx.oidc.client || !isJwt(token)) return;
    ctx.status = 200;
    if (route === 'revocation') {
      await revoke(ctx, token);
      ctx.body = '';
    } else {
      ctx.body = await introspect(ctx, token);
    }
  };
}
