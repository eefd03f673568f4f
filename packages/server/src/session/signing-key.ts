import type { webcrypto } from 'node:crypto';

/** The signing keys imported so far, by the configured bytes (one per server, in practice). */
const imported = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();

/**
 * `SESSION_SIGNING_KEY` as an HMAC-SHA-256 `CryptoKey`, imported on first use and then kept:
 * handed raw bytes, jose imports them anew for every token it verifies, which costs
 * more than the HMAC itself. Tokens are the same either way.
 */
export function sessionSigningKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    imported.set(secret, key);
  }
  return key;
}
