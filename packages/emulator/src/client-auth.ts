import type { IncomingHttpHeaders } from 'node:http';
import type { TokenEndpointAuthMethod } from './types.js';

/** Who a request claims to be and how it carries its secret. */
export interface PresentedClient {
  clientId: string;
  method: TokenEndpointAuthMethod;
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
 * The client secret authentication a request to the token, revocation or introspection endpoint
 * uses, or undefined when it uses none (or a malformed one, which oidc-provider then refuses).
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
    return clientId ? { clientId, method: 'client_secret_basic' } : undefined;
  }
  const clientId = body.get('client_id');
  return clientId && body.has('client_secret')
    ? { clientId, method: 'client_secret_post' }
    : undefined;
}
