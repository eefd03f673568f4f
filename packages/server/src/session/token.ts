import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** The claims of a connect session token, and nothing else (DESIGN §5.1). */
export interface SessionClaims {
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  /** Seconds since the epoch. */
  readonly exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** The signing keys made so far, by the configured bytes (one per server, in practice). */
const keys = new WeakMap<Uint8Array, KeyObject>();

/**
 * Signs a connect session token: a compact HS256 JWS (RFC 7515 §7.1) of `claims`, which
 * `verifySession` checks with jose. Signed on `node:crypto` directly: jose signs through
 * WebCrypto, whose promise job and algorithm normalisation cost more than the HMAC of a
 * 200-byte token, on every mint.
 */
export function signSessionToken(secret: Uint8Array, claims: SessionClaims): string {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(secret);
    keys.set(secret, key);
  }
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}
