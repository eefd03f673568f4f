import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';

/** The claims of a valid access token for the PingOne API. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  /** Space-separated, as issued. */
  scope: string;
  /** The environment that issued it (PingOne's `env` claim). */
  env: string;
}

export interface AccessTokenVerifierInput {
  publicKey: JWK;
  issuer: string;
  audience: string;
  environmentId: string;
}

/**
 * Checks a bearer token the way the PingOne API does: an RS256 JWT access token (`at+jwt`)
 * signed by this environment, for this audience, not expired.
 *
 * @returns the token's claims, or undefined for anything else
 */
export function accessTokenVerifier({
  publicKey,
  issuer,
  audience,
  environmentId,
}: AccessTokenVerifierInput) {
  const keys = createLocalJWKSet({ keys: [publicKey] });
  return async (token: string): Promise<AccessTokenClaims | undefined> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ['RS256'],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'sub', 'scope'],
      });
      if (payload.env !== environmentId || typeof payload.scope !== 'string') return undefined;
      return payload as AccessTokenClaims;
    } catch {
      return undefined;
    }
  };
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Checks that a token is a JWT access token this environment signed and that has not expired,
 * for any audience (introspection and revocation look at custom resources' tokens too).
 */
export function anyAccessTokenVerifier({ publicKey, issuer }: { publicKey: JWK; issuer: string }) {
  const keys = createLocalJWKSet({ keys: [publicKey] });
  return async (token: string): Promise<JWTPayload | undefined> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        algorithms: ['RS256'],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'jti'],
      });
      return payload;
    } catch {
      return undefined;
    }
  };
}
