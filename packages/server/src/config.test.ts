import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { generateSigningKey } from './crypto/signing-key.js';

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

/** What the operator sees for `env`: every issue as `VARIABLE: message`. */
function messagesOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  return [];
}

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
      logRetentionDays: 30,
    });
    expect(config.integrations).toEqual([
      {
        id: 'pingone',
        displayName: null,
        environmentId: ENV_ID,
        region: 'com',
        customDomain: null,
        clientId: 'client',
        clientAuth: { method: 'client_secret_post', clientSecret: 'secret' },
        scopes: ['openid', 'profile', 'email', 'p1:read:user'],
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
        PINGONE_TOKEN_AUTH_METHOD: 'tls_client_auth',
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

  it('reads LOG_RETENTION_DAYS, where 0 keeps the logs forever', () => {
    expect(loadConfig({ ...valid, LOG_RETENTION_DAYS: '7' }).logRetentionDays).toBe(7);
    expect(loadConfig({ ...valid, LOG_RETENTION_DAYS: '0' }).logRetentionDays).toBeNull();
    expect(issuesOf({ ...valid, LOG_RETENTION_DAYS: '-1' })).toEqual(['LOG_RETENTION_DAYS']);
    expect(issuesOf({ ...valid, LOG_RETENTION_DAYS: '1.5' })).toEqual(['LOG_RETENTION_DAYS']);
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

  it('retries a 429 twice, waiting at most 10 s, unless told otherwise', () => {
    expect(loadConfig(valid).proxyRetry).toEqual({ retries: 2, maxWaitMs: 10_000 });
    const config = loadConfig({ ...valid, PROXY_RETRIES: '0', PROXY_RETRY_MAX_WAIT_MS: '60000' });
    expect(config.proxyRetry).toEqual({ retries: 0, maxWaitMs: 60_000 });
  });

  it.each([
    ['PROXY_RETRIES', '-1'],
    ['PROXY_RETRIES', '11'],
    ['PROXY_RETRIES', '1.5'],
    ['PROXY_RETRIES', 'twice'],
    ['PROXY_RETRY_MAX_WAIT_MS', '60001'],
    ['PROXY_RETRY_MAX_WAIT_MS', '-5'],
    ['PROXY_RETRY_MAX_WAIT_MS', '10s'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(issuesOf({ ...valid, [variable]: value })).toEqual([variable]);
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

  describe('with a client assertion method', () => {
    const signingKey = generateSigningKey();
    const keyed = {
      ...valid,
      PINGONE_CLIENT_SECRET: undefined,
      PINGONE_TOKEN_AUTH_METHOD: 'private_key_jwt',
      PINGONE_PRIVATE_KEY_JWK: JSON.stringify(signingKey.privateJwk),
    };

    it('signs client_secret_jwt assertions with the client secret', () => {
      const [integration] = loadConfig({
        ...valid,
        PINGONE_TOKEN_AUTH_METHOD: 'client_secret_jwt',
      }).integrations;
      expect(integration?.clientAuth).toEqual({
        method: 'client_secret_jwt',
        clientSecret: 'secret',
      });
    });

    it('reads the private key of private_key_jwt from PINGONE_PRIVATE_KEY_JWK, with no secret', () => {
      const [integration] = loadConfig(keyed).integrations;
      expect(integration?.clientAuth).toEqual({ method: 'private_key_jwt', signingKey });
    });

    it('requires PINGONE_PRIVATE_KEY_JWK with private_key_jwt', () => {
      expect(messagesOf({ ...keyed, PINGONE_PRIVATE_KEY_JWK: undefined })).toEqual([
        'PINGONE_PRIVATE_KEY_JWK: is required with token auth method private_key_jwt',
      ]);
    });

    it('refuses a public JWK in PINGONE_PRIVATE_KEY_JWK, quoting none of it', () => {
      const messages = messagesOf({
        ...keyed,
        PINGONE_PRIVATE_KEY_JWK: JSON.stringify(signingKey.publicJwk),
      });
      expect(messages).toEqual([
        expect.stringMatching(/^PINGONE_PRIVATE_KEY_JWK: is a public key/),
      ]);
      expect(messages.join('\n')).not.toContain(signingKey.publicJwk.n.slice(0, 16));
    });

    it('refuses PINGONE_PRIVATE_KEY_JWK that is not JSON', () => {
      expect(messagesOf({ ...keyed, PINGONE_PRIVATE_KEY_JWK: '{"kty":' })).toEqual([
        'PINGONE_PRIVATE_KEY_JWK: must be a private JSON Web Key (a JSON object)',
      ]);
    });

    it('refuses PINGONE_PRIVATE_KEY_JWK with a secret method', () => {
      expect(
        issuesOf({ ...valid, PINGONE_PRIVATE_KEY_JWK: keyed.PINGONE_PRIVATE_KEY_JWK }),
      ).toEqual(['PINGONE_PRIVATE_KEY_JWK']);
    });

    it('refuses PINGONE_CLIENT_SECRET beside private_key_jwt', () => {
      expect(issuesOf({ ...keyed, PINGONE_CLIENT_SECRET: 'secret' })).toEqual([
        'PINGONE_CLIENT_SECRET',
      ]);
    });

    it('takes private_key_jwk as an object in CONFIG_FILE and names its bad entries', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-keys-'));
      try {
        const path = join(dir, 'keys.json');
        const entry = {
          environment_id: ENV_ID,
          client_id: 'a',
          token_auth_method: 'private_key_jwt',
        };
        await writeFile(
          path,
          JSON.stringify({
            integrations: [
              { ...entry, id: 'good', private_key_jwk: signingKey.privateJwk },
              { ...entry, id: 'symmetric', private_key_jwk: { kty: 'oct', k: key(5) } },
            ],
          }),
        );
        expect(messagesOf({ ...valid, CONFIG_FILE: path })).toEqual([
          expect.stringMatching(
            /^CONFIG_FILE integrations\[1\]\.private_key_jwk: is a symmetric key/,
          ),
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
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
        clientAuth: { method: 'client_secret_basic', clientSecret: 'b' },
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
