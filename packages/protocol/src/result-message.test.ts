import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode, isResultMessage, RESULT_MESSAGE_TYPE } from './index.js';

const success = {
  v: 1,
  type: RESULT_MESSAGE_TYPE,
  attempt_id: 'att_01',
  ok: true,
  connection_id: 'conn_01',
  end_user_id: 'user-1',
  scopes: ['openid', 'p1:read:user'],
} as const;

const failure = {
  v: 1,
  type: RESULT_MESSAGE_TYPE,
  attempt_id: 'att_01',
  ok: false,
  error: {
    code: 'provider_error',
    message: 'PingOne refused the request.',
    oauth_error: { error: 'invalid_scope', error_description: 'May not request scopes' },
  },
} as const;

describe('isResultMessage', () => {
  it('accepts a success message', () => {
    expect(isResultMessage(success)).toBe(true);
  });

  it('accepts a failure message with and without oauth_error', () => {
    expect(isResultMessage(failure)).toBe(true);
    const { oauth_error: _, ...error } = failure.error;
    expect(isResultMessage({ ...failure, error })).toBe(true);
  });

  it('accepts a success message with no scopes', () => {
    expect(isResultMessage({ ...success, scopes: [] })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', JSON.stringify(success)],
    ['a number', 1],
    ['an array', [success]],
    ['another version', { ...success, v: 2 }],
    ['a string version', { ...success, v: '1' }],
    ['another type', { ...success, type: 'pingone-connect:other' }],
    ['no attempt_id', { ...success, attempt_id: undefined }],
    ['an empty attempt_id', { ...success, attempt_id: '' }],
    ['a numeric attempt_id', { ...success, attempt_id: 7 }],
    ['a non-boolean ok', { ...success, ok: 'true' }],
    ['success without connection_id', { ...success, connection_id: undefined }],
    ['success with a numeric connection_id', { ...success, connection_id: 1 }],
    ['success without end_user_id', { ...success, end_user_id: undefined }],
    ['success with scopes as a string', { ...success, scopes: 'openid' }],
    ['success with a non-string scope', { ...success, scopes: ['openid', 1] }],
    ['success with an extra key', { ...success, access_token: 'x' }],
    ['success carrying an error', { ...success, error: failure.error }],
    ['failure without error', { ...failure, error: undefined }],
    ['failure with an unknown code', { ...failure, error: { code: 'nope', message: 'x' } }],
    [
      'failure with a non-string message',
      { ...failure, error: { code: 'access_denied', message: 1 } },
    ],
    ['failure with an extra error key', { ...failure, error: { ...failure.error, stack: 'x' } }],
    [
      'failure with a malformed oauth_error',
      { ...failure, error: { ...failure.error, oauth_error: { error: 1 } } },
    ],
    [
      'failure with an extra oauth_error key',
      { ...failure, error: { ...failure.error, oauth_error: { error: 'e', x: 1 } } },
    ],
    ['failure carrying a connection_id', { ...failure, connection_id: 'conn_01' }],
  ])('rejects %s', (_, message) => {
    expect(isResultMessage(message)).toBe(false);
  });

  it('rejects a key set through the prototype', () => {
    const message = Object.create({ connection_id: 'conn_01' });
    Object.assign(message, { ...success });
    delete message.connection_id;
    expect(isResultMessage(message)).toBe(false);
  });
});

describe('isErrorCode', () => {
  it('knows every code of the closed list and nothing else', () => {
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('constructor')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it('has 24 distinct codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES).toHaveLength(24);
  });
});
