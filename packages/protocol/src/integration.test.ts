import { describe, expect, it } from 'vitest';
import { isErrorResponse, isIntegrationInvalidDetails, isPreflightCheck } from './index.js';

const check = { name: 'client_credentials', ok: false, message: 'PingOne refused the secret.' };
const invalid = {
  error: { code: 'integration_invalid', message: 'x', details: { checks: [check] } },
};

describe('integration_invalid details', () => {
  it('accepts an integration_invalid error with its checks', () => {
    expect(isErrorResponse(invalid)).toBe(true);
    expect(isIntegrationInvalidDetails(invalid.error.details)).toBe(true);
    expect(isPreflightCheck(check)).toBe(true);
  });

  it.each([
    ['details on another code', { error: { ...invalid.error, code: 'conflict' } }],
    ['details as a bare list', { error: { ...invalid.error, details: [check] } }],
    [
      'a check without ok',
      { error: { ...invalid.error, details: { checks: [{ name: 'x', message: 'y' }] } } },
    ],
    [
      'a check with an extra key',
      { error: { ...invalid.error, details: { checks: [{ ...check, secret: 's' }] } } },
    ],
    [
      'details with an extra key',
      { error: { ...invalid.error, details: { checks: [], more: 1 } } },
    ],
  ])('rejects %s', (_, value) => {
    expect(isErrorResponse(value)).toBe(false);
  });
});
