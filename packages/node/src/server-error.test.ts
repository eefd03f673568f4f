import { describe, expect, it } from 'vitest';
import { PingOneConnectError } from './errors.js';
import { isServerErrorBody, serverError } from './server-error.js';

describe('serverError', () => {
  it("keeps the server's code, message, status and OAuth error", () => {
    const error = serverError(502, {
      error: {
        code: 'provider_error',
        message: 'PingOne refused the request.',
        oauth_error: { error: 'invalid_grant', error_description: 'expired' },
      },
    });
    expect(error).toBeInstanceOf(PingOneConnectError);
    expect(error).toMatchObject({
      name: 'PingOneConnectError',
      code: 'provider_error',
      status: 502,
      message: 'PingOne refused the request.',
      upstream: false,
      oauthError: { error: 'invalid_grant', error_description: 'expired' },
    });
  });

  it('drops a malformed OAuth error rather than passing it on', () => {
    const error = serverError(400, {
      error: { code: 'provider_error', message: 'x', oauth_error: { error: 1 } },
    });
    expect(error.oauthError).toBeUndefined();
  });

  it.each([
    [400, 'invalid_request'],
    [401, 'unauthorized'],
    [429, 'rate_limited'],
    [404, 'internal_error'],
  ] as const)('maps a code it does not know with status %i to %s', (status, code) => {
    const error = serverError(status, { error: { code: 'added_later', message: 'Newer server.' } });
    expect(error.code).toBe(code);
    expect(error.message).toBe('Newer server.');
  });

  it("maps a gateway's HTML page to a code from its status", () => {
    const error = serverError(503, '<html>Service Unavailable</html>');
    expect(error).toMatchObject({ code: 'internal_error', status: 503 });
    expect(error.message).not.toContain('<html>');
  });
});

describe('isServerErrorBody', () => {
  it("recognises the server's error JSON", () => {
    expect(isServerErrorBody({ error: { code: 'unauthorized', message: 'x' } })).toBe(true);
  });

  it.each([
    ['an OAuth error', { error: 'invalid_token', error_description: 'expired' }],
    ['a PingOne Management API error', { id: 'b1c2', code: 'ACCESS_FAILED', message: 'Denied.' }],
    ['text', 'Forbidden'],
    ['null', null],
  ])('does not take %s for it', (_, body) => {
    expect(isServerErrorBody(body)).toBe(false);
  });
});
