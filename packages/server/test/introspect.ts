// Introspection at the emulator authenticated as the server's client, with its own method, so
// that a test of a JWT-authenticated client can ask whether PingOne still honours a token.
import * as oauth from 'oauth4webapi';
import type { ClientAuth } from '../src/config.js';
import { clientAuthentication } from '../src/pingone/client-auth.js';

const insecure = { [oauth.allowInsecureRequests]: true };

/** Whether PingOne (the emulator at `issuer`) still honours `token` (RFC 7662). */
export async function isActiveFor(
  issuer: string,
  clientId: string,
  auth: ClientAuth,
  token: string,
): Promise<boolean> {
  const url = new URL(issuer);
  const as = await oauth.processDiscoveryResponse(
    url,
    await oauth.discoveryRequest(url, { ...insecure, algorithm: 'oidc' }),
  );
  const client = { client_id: clientId };
  const response = await oauth.introspectionRequest(
    as,
    client,
    clientAuthentication(auth),
    token,
    insecure,
  );
  return (await oauth.processIntrospectionResponse(as, client, response)).active;
}
