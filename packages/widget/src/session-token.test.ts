import { expect } from '@open-wc/testing';
import { sessionDeadline } from './session-token.js';

/** A JWT-shaped token with `claims` as its payload; the signature is never checked here. */
function jwt(claims: unknown): string {
  const part = (value: unknown): string =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe('sessionDeadline', () => {
  const now = Date.UTC(2026, 0, 1);

  it('reads exp from the payload', () => {
    expect(sessionDeadline(jwt({ exp: now / 1000 + 300 }), now)).to.equal(now + 300_000);
  });

  it('reads a base64url payload that uses - and _', () => {
    // "???" and ">>>" encode to base64 with "/" and "+": base64url turns them into "_" and "-".
    const token = jwt({ sub: '???>>>', exp: now / 1000 + 60 });
    expect(token.split('.')[1]).to.match(/[-_]/);
    expect(sessionDeadline(token, now)).to.equal(now + 60_000);
  });

  it('caps the deadline at an hour, the longest a session lives', () => {
    expect(sessionDeadline(jwt({ exp: now / 1000 + 86_400 }), now)).to.equal(now + 3_600_000);
  });

  it('gives ten minutes to a token that is not a JWT', () => {
    expect(sessionDeadline('opaque-token', now)).to.equal(now + 600_000);
  });

  it('gives ten minutes to a JWT without a numeric exp', () => {
    expect(sessionDeadline(jwt({ exp: 'soon' }), now)).to.equal(now + 600_000);
    expect(sessionDeadline('a.%%%.c', now)).to.equal(now + 600_000);
  });
});
