import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, type AccessTokenClaims } from './access-tokens.js';
import { CLAIMS_BY_SCOPE, userClaims, type Directory } from './accounts.js';
import { oauthError } from './correlation-id.js';
import { sendJson } from './send-json.js';

/**
 * The UserInfo endpoint for JWT access tokens. PingOne's access token for `openid profile email
 * p1:read:user` is one JWT for the PingOne API that also works at UserInfo; oidc-provider only
 * takes its own opaque tokens there (those of requests with OpenID Connect scopes alone, which it
 * still serves). So a bearer JWT is checked here like at the Management API and answered with the
 * claims its scopes release.
 *
 * @returns a handler that answers `false` when the request carries no JWT bearer token
 */
export function jwtUserinfo(
  verify: (token: string) => Promise<AccessTokenClaims | undefined>,
  directory: Directory,
) {
  async function answer(res: ServerResponse, token: string): Promise<void> {
    const claims = await verify(token);
    const user = claims && directory.byId(claims.sub);
    if (!claims || !user) {
      sendJson(res, 401, oauthError('invalid_token', 'invalid token provided'), {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
      return;
    }
    const scopes = claims.scope.split(' ');
    if (!scopes.includes('openid')) {
      sendJson(res, 403, oauthError('insufficient_scope', 'access token missing openid scope'), {
        'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="openid"',
      });
      return;
    }
    const all = userClaims(user);
    const released = scopes.flatMap((scope) => CLAIMS_BY_SCOPE[scope] ?? []);
    sendJson(res, 200, Object.fromEntries(released.map((name) => [name, all[name]])));
  }

  return (req: IncomingMessage, res: ServerResponse): Promise<void> | false => {
    const token = bearerToken(req.headers.authorization);
    // A JWT has three dot-separated parts; oidc-provider's opaque tokens have none.
    if (!token || token.split('.').length !== 3 || (req.method !== 'GET' && req.method !== 'POST'))
      return false;
    return answer(res, token);
  };
}
