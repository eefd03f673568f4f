import { describe, expect, it } from 'vitest';
import { proxyRequest, type ProxyOptions } from './proxy-request.js';

const base: ProxyOptions = { method: 'GET', endpoint: '/v1/environments', connectionId: 'conn_01' };

describe('proxyRequest', () => {
  it('targets /proxy/<endpoint> with the connection and integration headers', () => {
    const request = proxyRequest({ ...base, integrationId: 'pingone' });
    expect(request.path).toBe('proxy/v1/environments');
    expect(request.headers?.get('connection-id')).toBe('conn_01');
    expect(request.headers?.get('provider-config-key')).toBe('pingone');
  });

  it('leaves Provider-Config-Key out when no integration is named', () => {
    expect(proxyRequest(base).headers?.has('provider-config-key')).toBe(false);
  });

  it('accepts an endpoint without a leading slash', () => {
    expect(proxyRequest({ ...base, endpoint: 'v1/environments' }).path).toBe(
      'proxy/v1/environments',
    );
  });

  it('merges a query string in the endpoint with params, repeating array values', () => {
    const request = proxyRequest({
      ...base,
      endpoint: '/v1/environments?limit=10',
      params: {
        filter: 'name sw "Dev"',
        expand: ['population', 'license'],
        skipped: undefined,
        page: 2,
      },
    });
    expect(request.query?.getAll('limit')).toEqual(['10']);
    expect(request.query?.get('filter')).toBe('name sw "Dev"');
    expect(request.query?.getAll('expand')).toEqual(['population', 'license']);
    expect(request.query?.get('page')).toBe('2');
    expect(request.query?.has('skipped')).toBe(false);
  });

  it('accepts params as URLSearchParams', () => {
    const request = proxyRequest({ ...base, params: new URLSearchParams([['limit', '5']]) });
    expect(request.query?.get('limit')).toBe('5');
  });

  it('sends object data as JSON', () => {
    const request = proxyRequest({ ...base, method: 'POST', data: { name: 'Ada' } });
    expect(request.body).toBe('{"name":"Ada"}');
    expect(request.headers?.get('content-type')).toBe('application/json');
  });

  it("keeps the caller's content type for JSON data", () => {
    const contentType = 'application/vnd.pingidentity.password.reset+json';
    const request = proxyRequest({
      ...base,
      method: 'PUT',
      data: { newPassword: 'x' },
      headers: { 'Content-Type': contentType },
    });
    expect(request.headers?.get('content-type')).toBe(contentType);
    expect(request.body).toBe('{"newPassword":"x"}');
  });

  it('sends a string, bytes or form data as they are', () => {
    const form = new URLSearchParams({ a: '1' });
    expect(proxyRequest({ ...base, method: 'POST', data: 'raw' }).body).toBe('raw');
    expect(proxyRequest({ ...base, method: 'POST', data: form }).body).toBe(form);
    expect(
      proxyRequest({ ...base, method: 'POST', data: 'raw' }).headers?.has('content-type'),
    ).toBe(false);
  });

  it('forwards other headers', () => {
    const request = proxyRequest({ ...base, headers: new Headers({ 'X-Correlation-Id': 'abc' }) });
    expect(request.headers?.get('x-correlation-id')).toBe('abc');
  });
});

describe('proxyRequest refuses with TypeError', () => {
  it.each([
    ['an absolute URL', 'https://evil.example/v1/environments'],
    ['a scheme-relative URL', '//evil.example/v1/environments'],
    ['a scheme without slashes', 'javascript:alert(1)'],
    ['a ".." segment', '/v1/../connections'],
    ['a leading ".." segment', '../connections'],
    ['a "." segment', '/v1/./environments'],
    ['an encoded ".." segment', '/v1/%2e%2e/connections'],
    ['a half-encoded ".." segment', '/v1/.%2E/connections'],
    ['a backslash', '/v1\\..\\connections'],
    ['a fragment', '/v1/environments#x'],
    ['whitespace', '/v1/environ ments'],
    ['a control character', '/v1/environments\n'],
    ['an empty path', '/'],
    ['an empty path before a query', '?limit=1'],
  ])('an endpoint with %s', (_, endpoint) => {
    expect(() => proxyRequest({ ...base, endpoint })).toThrow(TypeError);
  });

  it.each(['Authorization', 'Connection-Id', 'provider-config-key'])(
    'a %s header set by the caller',
    (name) => {
      expect(() => proxyRequest({ ...base, headers: { [name]: 'x' } })).toThrow(TypeError);
    },
  );

  it('data on a GET', () => {
    expect(() => proxyRequest({ ...base, data: { a: 1 } })).toThrow(TypeError);
  });

  it('an empty connectionId', () => {
    expect(() => proxyRequest({ ...base, connectionId: '' })).toThrow(TypeError);
  });

  it('an empty integrationId', () => {
    expect(() => proxyRequest({ ...base, integrationId: '' })).toThrow(TypeError);
  });
});
