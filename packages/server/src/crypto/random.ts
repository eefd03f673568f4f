import { createHash, randomBytes } from 'node:crypto';

/** `bytes` random bytes as base64url: 32 bytes (the default) are 256 bits in 43 characters. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a string as lower-case hex, for storing a secret only as its digest. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** SHA-256 of a string as bytes. */
export function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}
