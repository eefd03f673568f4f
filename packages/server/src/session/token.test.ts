import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signSessionToken } from './token.js';

const secret = new Uint8Array(32).fill(7);
const claims = {
  iss: 'https://connect.example.com',
  aud: 'pingone-connect:connect-session',
  sub: 'user-1',
  jti: 'sess_1',
  iat: 1_800_000_000,
  exp: 1_800_000_600,
};

describe('signSessionToken', () => {
  it('makes an HS256 JWT that jose verifies, carrying exactly the claims given', async () => {
    const token = signSessionToken(secret, claims);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      currentDate: new Date(1_800_000_100_000),
    });
    expect(payload).toEqual(claims);
  });

  it('makes a token that another key does not verify', async () => {
    const token = signSessionToken(secret, claims);
    await expect(
      jwtVerify(token, new Uint8Array(32).fill(8), {
        algorithms: ['HS256'],
        currentDate: new Date(1_800_000_100_000),
      }),
    ).rejects.toThrow();
  });
});
