import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, parseSigningKey } from './signing-key.js';

describe('a private_key_jwt signing key', () => {
  it('defaults kid to the RFC 7638 thumbprint and alg to RS256', async () => {
    const { kid: _, alg: __, ...bare } = generateSigningKey().privateJwk;
    const parsed = parseSigningKey(bare);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.key.alg).toBe('RS256');
    expect(parsed.key.kid).toBe(await calculateJwkThumbprint(parsed.key.publicJwk));
  });

  it('keeps only the key members, and a public half without any private one', () => {
    const key = generateSigningKey();
    const parsed = parseSigningKey({ ...key.privateJwk, x5c: ['…'], key_ops: ['sign'] });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(Object.keys(parsed.key.privateJwk).sort()).toEqual(
      ['alg', 'd', 'dp', 'dq', 'e', 'kid', 'kty', 'n', 'p', 'q', 'qi'].sort(),
    );
    expect(Object.keys(parsed.key.publicJwk).sort()).toEqual(
      ['alg', 'e', 'kid', 'kty', 'n', 'use'].sort(),
    );
  });

  it('refuses an RSA key shorter than 2048 bits', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'jwk',
    });
    expect(parseSigningKey(small)).toEqual({
      ok: false,
      message: 'must be an RSA key of at least 2048 bits',
    });
  });

  it('refuses a key meant for encryption', () => {
    const parsed = parseSigningKey({ ...generateSigningKey().privateJwk, use: 'enc' });
    expect(parsed).toEqual({ ok: false, message: 'use must be "sig" when given' });
  });
});
