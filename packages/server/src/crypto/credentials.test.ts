import { CompactEncrypt, compactDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { CredentialCipher, DecryptionError, keyId } from './credentials.js';

const oldKey = new Uint8Array(32).fill(1);
const newKey = new Uint8Array(32).fill(2);

describe('CredentialCipher', () => {
  it('round-trips a value as a dir/A256GCM JWE named by the key’s id', async () => {
    const cipher = new CredentialCipher([oldKey]);
    const jwe = await cipher.encrypt('{"access_token":"secret"}');
    expect(jwe).not.toContain('secret');
    const header = JSON.parse(
      Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as object;
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM', kid: keyId(oldKey) });
    expect(await cipher.decrypt(jwe)).toBe('{"access_token":"secret"}');
  });

  it('reads and writes the same JWEs as jose given the raw key bytes', async () => {
    const cipher = new CredentialCipher([oldKey]);
    const stored = await new CompactEncrypt(new TextEncoder().encode('stored'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keyId(oldKey) })
      .encrypt(oldKey);
    expect(await cipher.decrypt(stored)).toBe('stored');
    const { plaintext } = await compactDecrypt(await cipher.encrypt('written'), oldKey);
    expect(new TextDecoder().decode(plaintext)).toBe('written');
  });

  it('decrypts values of a rotated-out key and encrypts with the first', async () => {
    const before = await new CredentialCipher([oldKey]).encrypt('kept');
    const rotated = new CredentialCipher([newKey, oldKey]);
    expect(await rotated.decrypt(before)).toBe('kept');
    expect(rotated.currentKeyId).toBe(keyId(newKey));
    await expect(new CredentialCipher([newKey]).decrypt(before)).rejects.toThrow(DecryptionError);
  });

  it('refuses a tampered ciphertext', async () => {
    const cipher = new CredentialCipher([oldKey]);
    const parts = (await cipher.encrypt('value')).split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    await expect(cipher.decrypt(parts.join('.'))).rejects.toThrow(DecryptionError);
  });

  it('refuses a JWE whose header has a parameter it never writes', async () => {
    const cipher = new CredentialCipher([oldKey]);
    const typed = await new CompactEncrypt(new TextEncoder().encode('value'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keyId(oldKey), cty: 'json' })
      .encrypt(oldKey);
    await expect(cipher.decrypt(typed)).rejects.toThrow(DecryptionError);
  });

  it('refuses a JWE whose header was changed after encryption', async () => {
    const cipher = new CredentialCipher([oldKey]);
    const parts = (await cipher.encrypt('value')).split('.');
    // The same fields in another order: still a valid header, but not the one authenticated.
    const reordered = { kid: keyId(oldKey), enc: 'A256GCM', alg: 'dir' };
    parts[0] = Buffer.from(JSON.stringify(reordered)).toString('base64url');
    await expect(cipher.decrypt(parts.join('.'))).rejects.toThrow(DecryptionError);
  });

  it('refuses a value that is not a five-part JWE', async () => {
    const cipher = new CredentialCipher([oldKey]);
    const parts = (await cipher.encrypt('value')).split('.');
    await expect(cipher.decrypt(parts.slice(0, 4).join('.'))).rejects.toThrow(DecryptionError);
  });

  it('does not reveal the key in its id', () => {
    expect(keyId(oldKey)).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(keyId(oldKey)).not.toBe(keyId(newKey));
  });

  it('throws TypeError for a missing or short key', () => {
    expect(() => new CredentialCipher([])).toThrow(TypeError);
    expect(() => new CredentialCipher([new Uint8Array(16)])).toThrow(TypeError);
  });
});
