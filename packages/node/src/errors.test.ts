import { describe, expect, it } from 'vitest';
import { PingOneApiError, PingOneConnectError, PingOneConnectTransportError } from './errors.js';

describe('PingOneApiError', () => {
  it.each([
    [400, 'provider_error'],
    [403, 'provider_error'],
    [429, 'rate_limited'],
    [503, 'provider_unavailable'],
  ] as const)('summarises PingOne status %i as %s', (status, code) => {
    const error = new PingOneApiError(status, new Headers(), null);
    expect(error).toMatchObject({ code, status, upstream: true, name: 'PingOneApiError' });
    expect(error).toBeInstanceOf(PingOneConnectError);
  });

  it("keeps PingOne's answer and quotes its message", () => {
    const data = {
      id: 'c0ffee',
      code: 'ACCESS_FAILED',
      message: 'The request could not be completed.',
    };
    const headers = new Headers({ 'retry-after': '3' });
    const error = new PingOneApiError(403, headers, data);
    expect(error.data).toBe(data);
    expect(error.headers.get('retry-after')).toBe('3');
    expect(error.message).toBe('PingOne answered 403: The request could not be completed.');
  });

  it('quotes an OAuth error_description', () => {
    const error = new PingOneApiError(401, new Headers(), {
      error: 'invalid_token',
      error_description: 'Expired.',
    });
    expect(error.message).toBe('PingOne answered 401: Expired.');
  });
});

describe('PingOneConnectTransportError', () => {
  it('has status 0, is not upstream and keeps its cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new PingOneConnectTransportError('network_error', 'unreachable', { cause });
    expect(error).toMatchObject({ status: 0, upstream: false, code: 'network_error', cause });
    expect(error.name).toBe('PingOneConnectTransportError');
    expect(error).toBeInstanceOf(PingOneConnectError);
  });
});
