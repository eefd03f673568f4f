import { describe, expect, it } from 'vitest';
import { isAttemptStatus } from './index.js';

const pending = { status: 'pending' } as const;

const success = {
  status: 'success',
  connection_id: 'conn_01',
  end_user_id: 'user-1',
  scopes: ['openid', 'p1:read:user'],
} as const;

const failure = {
  status: 'error',
  error: {
    code: 'provider_error',
    message: 'PingOne refused the request.',
    oauth_error: { error: 'invalid_scope', error_description: 'May not request scopes' },
  },
} as const;

describe('isAttemptStatus', () => {
  it('accepts a pending, a successful and a failed attempt', () => {
    expect(isAttemptStatus(pending)).toBe(true);
    expect(isAttemptStatus(success)).toBe(true);
    expect(isAttemptStatus(failure)).toBe(true);
  });

  it('accepts a failure without oauth_error and a success with no scopes', () => {
    expect(
      isAttemptStatus({ status: 'error', error: { code: 'access_denied', message: 'No.' } }),
    ).toBe(true);
    expect(isAttemptStatus({ ...success, scopes: [] })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', JSON.stringify(pending)],
    ['an array', [pending]],
    ['no status', {}],
    ['an unknown status', { status: 'exchanging' }],
    ['a status inherited through the prototype', Object.create(pending)],
    ['pending with an extra key', { ...pending, connection_id: 'conn_01' }],
    ['success without connection_id', { ...success, connection_id: undefined }],
    ['success with an empty connection_id', { ...success, connection_id: '' }],
    ['success with a numeric connection_id', { ...success, connection_id: 1 }],
    ['success without end_user_id', { ...success, end_user_id: undefined }],
    ['success without scopes', { ...success, scopes: undefined }],
    ['success with scopes as a string', { ...success, scopes: 'openid' }],
    ['success with a non-string scope', { ...success, scopes: ['openid', 1] }],
    ['success with an extra key', { ...success, access_token: 'x' }],
    ['success carrying an error', { ...success, error: failure.error }],
    ['error without error', { status: 'error' }],
    ['error with an unknown code', { status: 'error', error: { code: 'nope', message: 'x' } }],
    ['error with a non-string message', { status: 'error', error: { code: 'x', message: 1 } }],
    ['error with an extra error key', { ...failure, error: { ...failure.error, stack: 'x' } }],
    [
      'error with a malformed oauth_error',
      { ...failure, error: { ...failure.error, oauth_error: { error: 1 } } },
    ],
    ['error carrying a connection_id', { ...failure, connection_id: 'conn_01' }],
  ])('rejects %s', (_, status) => {
    expect(isAttemptStatus(status)).toBe(false);
  });
});
