import type { ClientAuth } from '../config.js';
import type { CredentialCipher } from '../crypto/credentials.js';
import { parseSigningKey } from '../crypto/signing-key.js';
import type { StoredClientAuth } from '../store/integrations.js';

/**
 * An integration's client authentication as stored: the secret, or the private JWK, encrypted
 * with the credentials' cipher (DESIGN §4.6); a private key's public half kept in the clear.
 */
export async function sealClientAuth(
  auth: ClientAuth,
  cipher: CredentialCipher,
): Promise<StoredClientAuth> {
  if (auth.method === 'private_key_jwt') {
    return {
      method: auth.method,
      encryptedPrivateKey: await cipher.encrypt(JSON.stringify(auth.signingKey.privateJwk)),
      publicJwk: auth.signingKey.publicJwk,
    };
  }
  return { method: auth.method, encryptedSecret: await cipher.encrypt(auth.clientSecret) };
}

/** The client authentication of a stored integration, decrypted. */
export async function openClientAuth(
  stored: StoredClientAuth,
  cipher: CredentialCipher,
): Promise<ClientAuth> {
  if (stored.method === 'private_key_jwt') {
    const parsed = parseSigningKey(await cipher.decrypt(stored.encryptedPrivateKey));
    // It was checked before it was stored; a key that no longer parses is a corrupt row.
    if (!parsed.ok) throw new Error('a stored private key is not usable');
    return { method: stored.method, signingKey: parsed.key };
  }
  return { method: stored.method, clientSecret: await cipher.decrypt(stored.encryptedSecret) };
}
