import { importJWK } from 'jose';
import * as oauth from 'oauth4webapi';
import type { ClientAuth } from '../config.js';

/**
 * The oauth4webapi client authentication for an integration's method, used for every call to
 * PingOne's token and revocation endpoints (PingOne applies the application's one method to
 * all of them: "the token, token introspection, token revocation, and pushed authorization
 * request endpoints",
 * https://docs.pingidentity.com/pingone/applications/p1_token_endpoint_authentication_methods.html).
 *
 * For `private_key_jwt` the JWK is imported once, here, into a non-extractable CryptoKey; each
 * request only signs with it. oauth4webapi takes the algorithm from the key (RS256/384/512)
 * and puts `kid` in the header so that PingOne picks the key from the application's JWKS.
 */
export function clientAuthentication(auth: ClientAuth): oauth.ClientAuth {
  switch (auth.method) {
    case 'client_secret_post':
      return oauth.ClientSecretPost(auth.clientSecret);
    case 'client_secret_basic':
      return oauth.ClientSecretBasic(auth.clientSecret);
    case 'client_secret_jwt':
      // HS256: PingOne takes "HS256, HS384, or HS512" (same page).
      return oauth.ClientSecretJwt(auth.clientSecret);
    case 'private_key_jwt': {
      const { privateJwk, alg, kid } = auth.signingKey;
      const signer = importJWK(privateJwk, alg).then((key) => {
        // An asymmetric JWK imports as a CryptoKey; only `oct` keys come back as bytes.
        if (key instanceof Uint8Array) throw new TypeError('a private JWK imports as a CryptoKey');
        return oauth.PrivateKeyJwt({ key, kid });
      });
      // Validated before it got here; should the import fail anyway, each call reports it.
      signer.catch(() => undefined);
      return async (as, client, body, headers) => (await signer)(as, client, body, headers);
    }
  }
}
