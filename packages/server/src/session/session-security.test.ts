import { SignJWT, UnsecuredJWT, decodeJwt, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import {
  HOST_ORIGIN,
  SECRET_KEY,
  connectFlow,
  mint,
  postConnect,
  postedResult,
  startHarness,
  type Harness,
} from '../../test/support.js';
import { SESSION_AUDIENCE } from './mint.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** Posts `/oauth/connect` with `token` and returns the coded error its result page posts. */
async function refusal(token: string): Promise<{ status: number; code: string | undefined }> {
  const response = await postConnect(harness, { session_token: token });
  const { message, targetOrigin } = postedResult(await response.text());
  // An accepted token posts nothing (it is a 303 on to PingOne): no code, and its status shows.
  if (message) expect(targetOrigin).toBe(HOST_ORIGIN);
  return { status: response.status, code: message && !message.ok ? message.error.code : undefined };
}

/** A token signed with the server's own key, with the claims of a real one unless overridden. */
async function forge(
  claims: { iss?: string; aud?: string; jti?: string; sub?: string; exp?: number },
  key: Uint8Array = harness.config.sessionSigningKey,
  alg = 'HS256',
): Promise<string> {
  const real = decodeJwt((await mint(harness)).token);
  return new SignJWT({})
    .setProtectedHeader({ alg })
    .setIssuer(claims.iss ?? String(real.iss))
    .setAudience(claims.aud ?? SESSION_AUDIENCE)
    .setSubject(claims.sub ?? String(real.sub))
    .setJti(claims.jti ?? String(real.jti))
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Number(real.exp))
    .sign(key);
}

/**
 * A token signed with the server's own key: a freshly minted session's claims, with what
 * `change` makes of them over them (any JSON, where {@link forge} takes only strings).
 */
async function forgeClaims(change: (real: JWTPayload) => Record<string, unknown>): Promise<string> {
  const real = decodeJwt((await mint(harness)).token);
  return new SignJWT({ ...real, ...change(real) })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(harness.config.sessionSigningKey);
}

describe('§5.1 the session token is a short-lived HS256 JWT whose jti must exist and is consumed', () => {
  it('carries only iss, aud, sub, jti, iat and exp, with a life of SESSION_TTL_SECONDS', async () => {
    const { token, jti, expires_at } = await mint(harness);
    const claims = decodeJwt(token);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    expect(claims).toMatchObject({
      iss: harness.config.publicUrl,
      aud: SESSION_AUDIENCE,
      jti,
      sub: 'user-1',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(Date.parse(expires_at)).toBe(Number(claims.exp) * 1000);
  });

  it('refuses a session life over 60 minutes in the configuration', () => {
    expect(() => loadConfig({ SESSION_TTL_SECONDS: '3601' })).toThrow(
      /SESSION_TTL_SECONDS: must be at most 3600/,
    );
  });

  it('rejects a tampered JWT with session_invalid', async () => {
    const { token } = await mint(harness);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as object;
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString(
      'base64url',
    );
    expect(await refusal(`${header}.${tampered}.${signature}`)).toEqual({
      status: 401,
      code: 'session_invalid',
    });
  });

  it('rejects a token signed with another key with session_invalid', async () => {
    const token = await forge({}, new Uint8Array(32).fill(9));
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects alg none with session_invalid', async () => {
    const real = decodeJwt((await mint(harness)).token);
    const token = new UnsecuredJWT({ ...real }).encode();
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects an algorithm outside the allow-list (HS512 with the right key) with session_invalid', async () => {
    const token = await forge({}, harness.config.sessionSigningKey, 'HS512');
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects a wrong audience with session_invalid', async () => {
    const token = await forge({ aud: 'some-other-api' });
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects an aud array that holds the session audience and another with session_invalid', async () => {
    const token = await forgeClaims(() => ({ aud: [SESSION_AUDIENCE, 'some-other-api'] }));
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects an aud array of the session audience alone with session_invalid', async () => {
    const token = await forgeClaims(() => ({ aud: [SESSION_AUDIENCE] }));
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects a jti that is not a string (an array holding the real jti) with session_invalid', async () => {
    const token = await forgeClaims((real) => ({ jti: [real.jti] }));
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects a sub that is not a string (an array holding the real sub) with session_invalid', async () => {
    const token = await forgeClaims((real) => ({ sub: [real.sub] }));
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects a wrong issuer with session_invalid', async () => {
    const token = await forge({ iss: 'https://attacker.example' });
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects an unknown jti with session_invalid', async () => {
    const token = await forge({ jti: 'sess_not_in_the_store' });
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects a subject that is not the session’s end user with session_invalid', async () => {
    const token = await forge({ sub: 'another-user' });
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('rejects an expired token with session_expired', async () => {
    const { token } = await mint(harness);
    harness.clock.advance(601_000);
    try {
      expect(await refusal(token)).toEqual({ status: 401, code: 'session_expired' });
    } finally {
      harness.clock.advance(-601_000);
    }
  });

  it('rejects a revoked session with session_invalid', async () => {
    const { token, jti } = await mint(harness);
    const revoke = await harness.app.request(`/connect/sessions/${jti}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(revoke.status).toBe(204);
    expect(await refusal(token)).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('consumes the session when the connection is made: it cannot start another with session_used', async () => {
    const flow = await connectFlow(harness);
    expect(flow.posted.message?.ok).toBe(true);
    expect(await refusal(flow.token)).toEqual({ status: 409, code: 'session_used' });
    const revoke = await harness.app.request(`/connect/sessions/${decodeJwt(flow.token).jti}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(revoke.status).toBe(409);
  });

  it('lets one session retry after an abandoned attempt', async () => {
    const { token } = await mint(harness);
    const abandoned = await postConnect(harness, { session_token: token });
    expect(abandoned.status).toBe(303);
    const flow = await connectFlow(harness, { token });
    expect(flow.posted.message?.ok).toBe(true);
  });
});
