import { describe, expect, it } from 'vitest';
import { ApiError, statusOf } from './errors.js';

describe('ApiError', () => {
  it('renders itself as the error JSON with its status and headers', async () => {
    const error = new ApiError('rate_limited', undefined, { headers: { 'Retry-After': '7' } });
    const response = error.getResponse();
    expect(response.status).toBe(statusOf('rate_limited'));
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests. Try again later.' },
    });
  });

  it('passes PingOne’s OAuth error on in its body', async () => {
    const oauthError = { error: 'invalid_grant', error_description: 'expired' };
    const response = new ApiError('refresh_failed', undefined, { oauthError }).getResponse();
    expect(await response.json()).toMatchObject({ error: { oauth_error: oauthError } });
  });
});
