import type { webcrypto } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
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
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A short, public fingerprint of a key: the JWE's `kid`. Derived with a label so that it
 * is not the plain hash of the key, and short because it only has to tell a handful of keys apart.
 */
export function keyId(key: Uint8Array): string {
  return sha256(Buffer.concat([encoder.encode('pingone-connect:encryption-key:'), key]))
    .subarray(0, 8)
    .toString('base64url');
}

/** The `kid` of a JWE's protected header; undefined when it is not a JWE or names no key. */
export function keyIdOf(jwe: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(jwe);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** An A256GCM key for `dir` JWEs, usable for nothing else. */
function importKey(key: Uint8Array): Promise<webcrypto.CryptoKey> {
  return crypto.subtle.importKey('raw', key, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

/**
 * Encrypts values at rest (connection credentials, PKCE verifiers) as compact JWEs with
 * `dir` + `A256GCM`. The first key encrypts; every key decrypts, picked by the JWE's `kid`,
 * so a key rotates by prepending a new one: values move to it whenever they are next written.
 */
export class CredentialCipher {
  // Imported once, here: handed raw bytes, jose imports the key anew on every call, which
  // costs more than the AES-GCM itself. The JWEs are the same either way.
  readonly #current: { id: string; key: Promise<webcrypto.CryptoKey> };
  readonly #keys: ReadonlyMap<string, Promise<webcrypto.CryptoKey>>;

  /** @throws TypeError when no key is given or a key is not 32 bytes long. */
  constructor(keys: readonly Uint8Array[]) {
    const [first] = keys;
    if (!first) throw new TypeError('CredentialCipher needs at least one key');
    for (const key of keys) {
      if (key.byteLength !== KEY_BYTES) throw new TypeError('encryption keys must be 32 bytes');
    }
    this.#keys = new Map(keys.map((key) => [keyId(key), importKey(key)]));
    const id = keyId(first);
    this.#current = { id, key: this.#keys.get(id)! };
  }

  /** The `kid` new values are encrypted under. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Whether a value under the key `kid` can be decrypted: the key is configured. */
  hasKey(kid: string): boolean {
    return this.#keys.has(kid);
  }

  /** Encrypts `plaintext` under the current key. */
  async encrypt(plaintext: string): Promise<string> {
    return new CompactEncrypt(encoder.encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: this.#current.id })
      .encrypt(await this.#current.key);
  }

  /** Decrypts a value made by {@link encrypt} under any configured key. */
  async decrypt(jwe: string): Promise<string> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(jwe).kid;
    } catch (cause) {
      throw new DecryptionError('stored value is not a JWE', { cause });
    }
    const key = typeof kid === 'string' ? this.#keys.get(kid) : undefined;
    if (!key)
      throw new DecryptionError('stored value was encrypted with a key that is not configured');
    try {
      const { plaintext } = await compactDecrypt(jwe, await key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      return decoder.decode(plaintext);
    } catch (cause) {
      throw new DecryptionError('stored value failed to decrypt', { cause });
    }
  }
}
