import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { ApiError } from '../errors.js';
import { integrationUrls, locateIntegration } from './location.js';

const ENV = '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b';
const config = (env: Record<string, string> = {}) =>
  loadConfig({
    SECRET_KEYS: 'sk_live_0123456789abcdefghijklmnopqrstuv',
    SESSION_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64url'),
    ENCRYPTION_KEYS: Buffer.alloc(32, 2).toString('base64url'),
    ALLOWED_ORIGINS: 'https://app.example.com',
    ...env,
  });

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('integration URLs (DESIGN §4.8, §5.15)', () => {
  it('derives the issuer and API of a region', () => {
    const location = locateIntegration(config(), { region: 'com.au' });
    expect(integrationUrls(ENV, location)).toEqual({
      authBaseUrl: `https://auth.pingone.com.au/${ENV}/as`,
      apiBaseUrl: 'https://api.pingone.com.au',
    });
    expect(integrationUrls(ENV, locateIntegration(config(), {})).authBaseUrl).toBe(
      `https://auth.pingone.com/${ENV}/as`,
    );
  });

  it('derives a listed custom domain’s issuer without the environment id, and the region’s API', () => {
    const listed = config({ PINGONE_CUSTOM_DOMAINS: 'auth.acme.example' });
    const location = locateIntegration(listed, {
      custom_domain: 'Auth.Acme.Example',
      region: 'eu',
    });
    expect(integrationUrls(ENV, location)).toEqual({
      authBaseUrl: 'https://auth.acme.example/as',
      apiBaseUrl: 'https://api.pingone.eu',
    });
  });

  it('refuses a custom domain that is only a suffix of a listed one', () => {
    const listed = config({ PINGONE_CUSTOM_DOMAINS: 'auth.acme.example' });
    expect(refusal(() => locateIntegration(listed, { custom_domain: 'acme.example' })).code).toBe(
      'invalid_request',
    );
  });

  it('refuses a loopback pair beside a region', () => {
    const loopback = config({ ALLOW_LOOPBACK_PINGONE: 'true' });
    const error = refusal(() =>
      locateIntegration(loopback, {
        region: 'eu',
        auth_base_url: 'http://127.0.0.1:9/x/as',
        api_base_url: 'http://127.0.0.1:9',
      }),
    );
    expect(error.code).toBe('invalid_request');
  });

  it('keeps a loopback pair as given, without a trailing slash', () => {
    const loopback = config({ ALLOW_LOOPBACK_PINGONE: 'true' });
    const location = locateIntegration(loopback, {
      auth_base_url: 'http://localhost:9/x/as/',
      api_base_url: 'http://127.0.0.1:9/',
    });
    expect(integrationUrls(ENV, location)).toEqual({
      authBaseUrl: 'http://localhost:9/x/as',
      apiBaseUrl: 'http://127.0.0.1:9',
    });
  });
});
