import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { sha256 } from './random.js';

/** Thrown when a stored value cannot be decrypted with any configured key. */
export class DecryptionError extends Error {
  readonly code = 'internal_error';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();

/**
 * A short, public fingerprint of a key: the JWE's `kid`. Derived with a label so that it
 * is not the plain hash of the key, and short because it only has to tell a handful of keys apart.
 */
export function keyId(key: Uint8Array): string {
  return sha256(Buffer.concat([encoder.encode('pingone-connect:encryption-key:'), key]))
    .subarray(0, 8)
    .toString('base64url');
}

/** The protected header of every JWE made under the key `kid`, base64url-encoded. */
function encodedHeader(kid: string): string {
  return Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid })).toString('base64url');
}

/**
 * The `kid` of a protected header this cipher could have written: exactly `alg: dir`,
 * `enc: A256GCM` and a string `kid`. Anything else (`zip`, `crit`, another algorithm) is not
 * one of its values, and is refused rather than half understood.
 */
function headerKeyId(encoded: string): string | undefined {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
  const { alg, enc, kid, ...rest } = header as Record<string, unknown>;
  if (alg !== 'dir' || enc !== 'A256GCM' || typeof kid !== 'string') return undefined;
  return Object.keys(rest).length === 0 ? kid : undefined;
}

/**
 * Encrypts values at rest (connection credentials, PKCE verifiers) as compact JWEs with
 * `dir` + `A256GCM` (RFC 7516 §7.1, RFC 7518 §5.3): header, empty encrypted key, 96-bit IV,
 * ciphertext, 128-bit tag, with the encoded header as the additional data. The first key
 * encrypts; every key decrypts, picked by the JWE's `kid`, so a key rotates by prepending a
 * new one: values move to it whenever they are next written.
 *
 * On `node:crypto` directly: jose goes through WebCrypto, whose promise job, algorithm
 * normalisation and copies cost several times the AES-GCM of a 1 kB value, on every
 * credential read. The JWEs are the ones jose reads and writes (the tests check both ways).
 */
export class CredentialCipher {
  readonly #current: { readonly id: string; readonly key: KeyObject; readonly header: string };
  readonly #keys: ReadonlyMap<string, KeyObject>;

  /** @throws TypeError when no key is given or a key is not 32 bytes long. */
  constructor(keys: readonly Uint8Array[]) {
    const [first] = keys;
    if (!first) throw new TypeError('CredentialCipher needs at least one key');
    for (const key of keys) {
      if (key.byteLength !== KEY_BYTES) throw new TypeError('encryption keys must be 32 bytes');
    }
    this.#keys = new Map(keys.map((key) => [keyId(key), createSecretKey(key)]));
    const id = keyId(first);
    this.#current = { id, key: this.#keys.get(id)!, header: encodedHeader(id) };
  }

  /** The `kid` new values are encrypted under. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Encrypts `plaintext` under the current key. */
  async encrypt(plaintext: string): Promise<string> {
    const { key, header } = this.#current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(header, 'ascii'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [header, '', iv, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Decrypts a value made by {@link encrypt} under any configured key. */
  async decrypt(jwe: string): Promise<string> {
    const parts = jwe.split('.');
    const [header, encryptedKey, iv, ciphertext, tag] = parts;
    const kid = parts.length === 5 && encryptedKey === '' ? headerKeyId(header!) : undefined;
    if (kid === undefined) throw new DecryptionError('stored value is not a JWE');
    const key = this.#keys.get(kid);
    if (!key)
      throw new DecryptionError('stored value was encrypted with a key that is not configured');
    try {
      const ivBytes = Buffer.from(iv!, 'base64url');
      const tagBytes = Buffer.from(tag!, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
        throw new RangeError('IV or tag of the wrong length');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(header!, 'ascii'));
      decipher.setAuthTag(tagBytes);
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertext!, 'base64url')),
        decipher.final(),
      ]);
      return plaintext.toString('utf8');
    } catch (cause) {
      throw new DecryptionError('stored value failed to decrypt', { cause });
    }
  }
}
