import type { IncomingHttpHeaders } from 'node:http';
import type { TokenEndpointAuthMethod } from './types.js';

/** Who a request claims to be and how it carries its secret. */
export interface PresentedClient {
  clientId: string;
  method: TokenEndpointAuthMethod;
  /** The secret (basic, post) or the client assertion (the JWT methods), as presented. */
  credential: string;
}

/** RFC 6749 §2.3.1: the Basic credentials are form-encoded before base64. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

/**
 * The client authentication a request to the token, revocation or introspection endpoint uses —
 * a secret in the header or the body, or a client assertion (HS* signed: client_secret_jwt,
 * otherwise private_key_jwt) — or undefined when it uses none or a malformed one, which
 * oidc-provider then refuses.
 */
export function presentedClient(
  headers: IncomingHttpHeaders,
  body: URLSearchParams,
): PresentedClient | undefined {
  const basic = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(headers.authorization ?? '');
  if (basic) {
    const credentials = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = credentials.indexOf(':');
    const clientId = colon > 0 ? formDecode(credentials.slice(0, colon)) : undefined;
    const secret = colon > 0 ? formDecode(credentials.slice(colon + 1)) : undefined;
    return clientId
      ? { clientId, method: 'client_secret_basic', credential: secret ?? '' }
      : undefined;
  }
  const assertion = body.get('client_assertion');
  if (assertion) {
    const claims = decodePart(assertion, 1);
    const header = decodePart(assertion, 0);
    const clientId = typeof claims?.sub === 'string' ? claims.sub : undefined;
    if (!clientId || typeof header?.alg !== 'string') return undefined;
    return {
      clientId,
      method: header.alg.startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt',
      credential: assertion,
    };
  }
  const clientId = body.get('client_id');
  return clientId && body.has('client_secret')
    ? { clientId, method: 'client_secret_post', credential: body.get('client_secret') ?? '' }
    : undefined;
}

/** One part of a JWT as JSON, or undefined when it is not one. */
function decodePart(jwt: string, index: number): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8'),
    );
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
