import { describe, expect, it } from 'vitest';
import { isErrorResponse, isOAuthError, isRecord, isResultError } from './index.js';

const body = {
  error: {
    code: 'token_exchange_failed',
    message: 'PingOne refused to complete the sign-in.',
    oauth_error: { error: 'invalid_grant', error_description: 'Authorization code expired' },
  },
} as const;

describe('isErrorResponse', () => {
  it("accepts the server's error body, with and without oauth_error", () => {
    expect(isErrorResponse(body)).toBe(true);
    expect(isErrorResponse({ error: { code: 'unauthorized', message: 'x' } })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', JSON.stringify(body)],
    ['an array', [body]],
    ['an OAuth error', { error: 'invalid_token', error_description: 'expired' }],
    ['a PingOne Management API error', { id: 'b1c2', code: 'ACCESS_FAILED', message: 'Denied.' }],
    ['a code outside the closed list', { error: { code: 'added_later', message: 'x' } }],
    ['no message', { error: { code: 'unauthorized' } }],
    ['an extra key beside error', { ...body, stack: 'x' }],
    ['an extra key in error', { error: { ...body.error, details: [] } }],
    ['an error inherited through the prototype', Object.create(body)],
  ])('rejects %s', (_, value) => {
    expect(isErrorResponse(value)).toBe(false);
  });
});

describe('isResultError', () => {
  it('accepts a code and a message, and an oauth_error', () => {
    expect(isResultError(body.error)).toBe(true);
    expect(isResultError({ code: 'rate_limited', message: 'Slow down.' })).toBe(true);
  });

  it('rejects an oauth_error that is not one', () => {
    expect(isResultError({ ...body.error, oauth_error: 'invalid_grant' })).toBe(false);
  });
});

describe('isOAuthError', () => {
  it('accepts error, with or without error_description', () => {
    expect(isOAuthError({ error: 'invalid_grant' })).toBe(true);
    expect(isOAuthError({ error: 'invalid_grant', error_description: 'expired' })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'invalid_grant'],
    ['a numeric error', { error: 1 }],
    ['a numeric error_description', { error: 'e', error_description: 1 }],
    ['an extra key', { error: 'e', error_uri: 'https://example.com' }],
  ])('rejects %s', (_, value) => {
    expect(isOAuthError(value)).toBe(false);
  });
});

describe('isRecord', () => {
  it('is true for plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    expect(isRecord(null)).toBe(false);
    expect(isRecord([])).toBe(false);
    expect(isRecord('x')).toBe(false);
    expect(isRecord(undefined)).toBe(false);
  });
});
