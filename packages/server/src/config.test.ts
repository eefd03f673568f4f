import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64url');
const ENV_ID = '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b';
const valid = {
  SECRET_KEYS: 'sk_live_0123456789abcdefghijklmnopqrstuv',
  SESSION_SIGNING_KEY: key(1),
  ENCRYPTION_KEYS: key(2),
  ALLOWED_ORIGINS: 'https://app.example.com',
  PINGONE_ENVIRONMENT_ID: ENV_ID,
  PINGONE_CLIENT_ID: 'client',
  PINGONE_CLIENT_SECRET: 'secret',
};

function issuesOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.variable);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      publicUrl: 'http://127.0.0.1:3000',
      redirectUri: 'http://127.0.0.1:3000/oauth/callback',
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: 'sqlite:./data/pingone-connect.db',
      sessionTtlSeconds: 600,
      pingoneTimeoutMs: 10_000,
      webhook: null,
      expiringNoticeDays: 3,
    });
    expect(config.integrations).toEqual([
      {
        id: 'pingone',
        displayName: null,
        environmentId: ENV_ID,
        region: 'com',
        customDomain: null,
        clientId: 'client',
        clientSecret: 'secret',
        scopes: ['openid', 'profile', 'email', 'p1:read:user'],
        tokenAuthMethod: 'client_secret_post',
        skipTokenSessionValidation: false,
        refreshTokenDuration: null,
        refreshTokenRollingDuration: null,
        authBaseUrl: `https://auth.pingone.com/${ENV_ID}/as`,
        apiBaseUrl: 'https://api.pingone.com',
      },
    ]);
  });

  it('derives the PingOne URLs from the region and lets them be overridden', () => {
    const eu = loadConfig({ ...valid, PINGONE_REGION: 'com.au' }).integrations[0];
    expect(eu).toMatchObject({
      authBaseUrl: `https://auth.pingone.com.au/${ENV_ID}/as`,
      apiBaseUrl: 'https://api.pingone.com.au',
    });
    const custom = loadConfig({
      ...valid,
      PINGONE_AUTH_BASE_URL: 'https://login.example.com/as/',
      PINGONE_API_BASE_URL: 'http://127.0.0.1:9000',
    }).integrations[0];
    expect(custom).toMatchObject({
      authBaseUrl: 'https://login.example.com/as',
      apiBaseUrl: 'http://127.0.0.1:9000',
    });
  });

  it('names every bad variable in one error', () => {
    expect(
      issuesOf({
        PORT: '70000',
        SECRET_KEYS: 'too-short',
        SESSION_SIGNING_KEY: key(1, 16),
        ENCRYPTION_KEYS: `${key(2)},${key(3, 31)}`,
        ALLOWED_ORIGINS: 'https://app.example.com/,http://app.example.com',
        DATABASE_URL: 'mysql://x',
        PINGONE_REGION: 'us',
        PINGONE_SCOPES: 'profile email',
        PINGONE_TOKEN_AUTH_METHOD: 'private_key_jwt',
        SESSION_TTL_SECONDS: '59',
        WEBHOOK_URL: 'https://hooks.example.com',
      }).sort(),
    ).toEqual(
      [
        'PORT',
        'SECRET_KEYS',
        'SESSION_SIGNING_KEY',
        'ENCRYPTION_KEYS',
        'ALLOWED_ORIGINS',
        'DATABASE_URL',
        'PINGONE_REGION',
        'PINGONE_SCOPES',
        'PINGONE_TOKEN_AUTH_METHOD',
        'SESSION_TTL_SECONDS',
        'WEBHOOK_SECRET',
        'PINGONE_ENVIRONMENT_ID',
        'PINGONE_CLIENT_ID',
        'PINGONE_CLIENT_SECRET',
      ].sort(),
    );
  });

  it('reads EXPIRING_NOTICE_DAYS, from 1 to 90 days', () => {
    expect(loadConfig({ ...valid, EXPIRING_NOTICE_DAYS: '14' }).expiringNoticeDays).toBe(14);
    expect(issuesOf({ ...valid, EXPIRING_NOTICE_DAYS: '0' })).toEqual(['EXPIRING_NOTICE_DAYS']);
    expect(issuesOf({ ...valid, EXPIRING_NOTICE_DAYS: '91' })).toEqual(['EXPIRING_NOTICE_DAYS']);
  });

  it('requires openid among the scopes', () => {
    expect(() => loadConfig({ ...valid, PINGONE_SCOPES: 'profile p1:read:user' })).toThrow(
      /PINGONE_SCOPES: must include openid/,
    );
  });

  it('requires a UUID environment id when the auth URL is derived from it', () => {
    expect(issuesOf({ ...valid, PINGONE_ENVIRONMENT_ID: 'not-a-uuid' })).toEqual([
      'PINGONE_ENVIRONMENT_ID',
    ]);
    expect(
      issuesOf({
        ...valid,
        PINGONE_ENVIRONMENT_ID: 'emu',
        PINGONE_AUTH_BASE_URL: 'http://127.0.0.1:1/emu/as',
      }),
    ).toEqual([]);
  });

  it('allows plain HTTP only on loopback', () => {
    expect(issuesOf({ ...valid, PUBLIC_URL: 'http://connect.example.com' })).toEqual([
      'PUBLIC_URL',
    ]);
    expect(issuesOf({ ...valid, PINGONE_AUTH_BASE_URL: 'http://auth.example.com/as' })).toEqual([
      'PINGONE_AUTH_BASE_URL',
    ]);
    expect(issuesOf({ ...valid, PUBLIC_URL: 'http://localhost:3000' })).toEqual([]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', DATABASE_URL: ' ' }).port).toBe(3000);
  });

  it('starts with no integration when no PINGONE_ variable and no CONFIG_FILE is set', () => {
    const {
      PINGONE_ENVIRONMENT_ID: _,
      PINGONE_CLIENT_ID: __,
      PINGONE_CLIENT_SECRET: ___,
      ...withoutPingOne
    } = valid;
    const config = loadConfig(withoutPingOne);
    expect(config.integrations).toEqual([]);
    expect(config).toMatchObject({ customDomains: [], allowLoopbackPingone: false });
  });

  it('reads the custom domains tenants may use and the loopback switch', () => {
    const config = loadConfig({
      ...valid,
      PINGONE_CUSTOM_DOMAINS: 'Auth.Example.com, login.acme.io,auth.example.com',
      ALLOW_LOOPBACK_PINGONE: 'true',
    });
    expect(config.customDomains).toEqual(['auth.example.com', 'login.acme.io']);
    expect(config.allowLoopbackPingone).toBe(true);
  });

  it.each([
    ['a URL', 'https://auth.example.com'],
    ['a host with a port', 'auth.example.com:443'],
    ['an IP address', '127.0.0.1'],
  ])('refuses %s among PINGONE_CUSTOM_DOMAINS', (_, value) => {
    expect(issuesOf({ ...valid, PINGONE_CUSTOM_DOMAINS: value })).toEqual([
      'PINGONE_CUSTOM_DOMAINS',
    ]);
  });

  it('keeps secrets out of its messages', () => {
    const secret = 'a-very-secret-value-that-is-too-odd';
    try {
      loadConfig({ ...valid, SESSION_SIGNING_KEY: secret, ENCRYPTION_KEYS: secret });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });

  describe('with CONFIG_FILE', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pingone-connect-config-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    const file = async (name: string, content: unknown) => {
      const path = join(dir, name);
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };
    const {
      PINGONE_ENVIRONMENT_ID: _,
      PINGONE_CLIENT_ID: __,
      PINGONE_CLIENT_SECRET: ___,
      ...base
    } = valid;

    it('adds several integrations in snake_case after the environment’s', async () => {
      const path = await file('two.json', {
        integrations: [
          {
            id: 'eu-tenant',
            environment_id: ENV_ID,
            region: 'eu',
            client_id: 'a',
            client_secret: 'b',
            token_auth_method: 'client_secret_basic',
          },
          {
            id: 'custom',
            environment_id: 'x',
            auth_base_url: 'https://sso.example.com/as',
            client_id: 'c',
            client_secret: 'd',
            scopes: ['openid', 'email'],
          },
        ],
      });
      const config = loadConfig({ ...valid, CONFIG_FILE: path });
      expect(config.integrations.map((i) => i.id)).toEqual(['pingone', 'eu-tenant', 'custom']);
      expect(config.integrations[1]).toMatchObject({
        authBaseUrl: `https://auth.pingone.eu/${ENV_ID}/as`,
        tokenAuthMethod: 'client_secret_basic',
      });
      expect(config.integrations[2]).toMatchObject({ scopes: ['openid', 'email'] });
      expect(loadConfig({ ...base, CONFIG_FILE: path }).integrations.map((i) => i.id)).toEqual([
        'eu-tenant',
        'custom',
      ]);
    });

    it('reads an integration’s refresh token durations, and refuses one PingOne would not take', async () => {
      const path = await file('durations.json', {
        integrations: [
          {
            id: 'lasting',
            environment_id: ENV_ID,
            client_id: 'a',
            client_secret: 'b',
            skip_token_session_validation: true,
            refresh_token_duration: 3600,
            refresh_token_rolling_duration: 86_400,
          },
        ],
      });
      expect(loadConfig({ ...base, CONFIG_FILE: path }).integrations[0]).toMatchObject({
        skipTokenSessionValidation: true,
        refreshTokenDuration: 3600,
        refreshTokenRollingDuration: 86_400,
      });
      const bad = await file('short.json', {
        integrations: [
          {
            id: 'x',
            environment_id: ENV_ID,
            client_id: 'a',
            client_secret: 'b',
            refresh_token_duration: 59,
          },
        ],
      });
      expect(issuesOf({ ...base, CONFIG_FILE: bad })).toEqual([
        'CONFIG_FILE integrations[0].refresh_token_duration',
      ]);
    });

    it('names the bad entries of the file', async () => {
      const path = await file('bad.json', {
        integrations: [
          { id: 'UPPER', environment_id: ENV_ID, client_id: 'a', scopes: 'email', extra: 1 },
        ],
      });
      expect(issuesOf({ ...base, CONFIG_FILE: path }).sort()).toEqual([
        'CONFIG_FILE integrations[0]',
        'CONFIG_FILE integrations[0].client_secret',
        'CONFIG_FILE integrations[0].id',
        'CONFIG_FILE integrations[0].scopes',
      ]);
    });

    it('reports a file that is not JSON, and duplicate ids', async () => {
      expect(issuesOf({ ...base, CONFIG_FILE: await file('broken.json', '{') })).toEqual([
        'CONFIG_FILE',
      ]);
      const dup = await file('dup.json', {
        integrations: [
          { id: 'pingone', environment_id: ENV_ID, client_id: 'a', client_secret: 'b' },
        ],
      });
      expect(issuesOf({ ...valid, CONFIG_FILE: dup })).toEqual(['CONFIG_FILE']);
    });
  });
});
