import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Emulator } from '@pingone-connect/emulator';
import {
  connectFlow,
  emulatorEnv,
  signIn,
  type FlowTarget,
  type SignedIn,
} from '@pingone-connect/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { CredentialCipher } from '../crypto/credentials.js';
import { checkSealedValues } from '../crypto/key-rotation.js';
import { createLogger } from '../logger/logger.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { ENGINES, type Engine } from '../../test/engines.js';
import { ServerProcess, emulatorFor } from '../../test/server-process.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  HOST_ORIGIN,
  PUBLIC_URL,
  SECRET_KEY,
  postedResult,
  testKey,
} from '../../test/support.js';

const KEY_A = testKey(0xa);
const KEY_B = testKey(0xb);
const CHILD = fileURLToPath(new URL('../../test/rotation-child.ts', import.meta.url));

/** The server's environment over `databaseUrl` with `encryptionKeys`. */
function envOf(emulator: Emulator, databaseUrl: string, encryptionKeys: string) {
  return {
    PUBLIC_URL,
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: testKey(1),
    ENCRYPTION_KEYS: encryptionKeys,
    ALLOWED_ORIGINS: HOST_ORIGIN,
    DATABASE_URL: databaseUrl,
    ALLOW_LOOPBACK_PINGONE: 'true',
    RATE_LIMIT_OAUTH_PER_MINUTE: '1000',
    ...emulatorEnv(emulator, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
  };
}

/** The app over the database with `encryptionKeys`, driven through `app.request()`. */
async function appWith(emulator: Emulator, databaseUrl: string, encryptionKeys: string) {
  const config = loadConfig(envOf(emulator, databaseUrl, encryptionKeys));
  const store = await openStore(config.databaseUrl);
  const app = createApp(config, store, { logger: createLogger({ sink: () => {} }) });
  const target: FlowTarget = {
    fetch: async (url, init) => await app.request(url, init),
    baseUrl: PUBLIC_URL,
    emulator,
    secretKey: SECRET_KEY,
    origin: HOST_ORIGIN,
  };
  const backend = (path: string, init: RequestInit = {}) =>
    app.request(`${PUBLIC_URL}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${SECRET_KEY}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  return { store, target, backend };
}

/** The CLI run to its end: its exit code and output. */
async function cli(args: string[], env: Record<string, string>) {
  const command = new ServerProcess(['rotate-encryption-key', ...args], env);
  const code = await command.exited;
  return { code, stdout: command.stdout.join('\n'), stderr: command.stderr };
}

async function connected(target: FlowTarget, session: Record<string, unknown>): Promise<string> {
  const { response } = await connectFlow(target, { session });
  const { message } = postedResult(await response.text());
  if (!message?.ok) throw new Error('the flow did not succeed');
  return message.connection_id;
}

describe.each(ENGINES)('rotate-encryption-key on %s, step by step', (_name, makeEngine) => {
  let engine: Engine;
  let emulator: Emulator;
  let storeA: Store;
  const connections: string[] = [];
  let pending: SignedIn;
  let target: FlowTarget;

  beforeAll(async () => {
    engine = await makeEngine();
    emulator = await emulatorFor(PUBLIC_URL);
    const a = await appWith(emulator, engine.url, KEY_A);
    storeA = a.store;
    target = a.target;
    // Four connections of the configured integration, one of an integration made through the
    // API (its client secret is encrypted too), and an attempt still waiting for its callback.
    for (const id of ['u-1', 'u-2', 'u-3', 'u-4']) {
      connections.push(await connected(target, { end_user: { id } }));
    }
    const created = await a.backend('/integrations', {
      method: 'POST',
      body: JSON.stringify({
        id: 'tenant',
        environment_id: emulator.environmentId,
        auth_base_url: emulator.issuer,
        api_base_url: emulator.apiBaseUrl,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    expect(created.status).toBe(201);
    connections.push(
      await connected(target, { integration_id: 'tenant', end_user: { id: 'u-5' } }),
    );
    pending = await signIn(target, {
      session: { integration_id: 'pingone', end_user: { id: 'u-6' } },
    });
  });
  afterAll(async () => {
    await storeA?.close();
    await emulator?.close();
    await engine?.stop();
  });

  it('--check counts every value under key A as old and exits 1', async () => {
    const { code, stdout } = await cli(
      ['--check'],
      envOf(emulator, engine.url, `${KEY_B},${KEY_A}`),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^connections\s+5 of 5 under an old key$/m);
    expect(stdout).toMatch(/^attempts\s+6 of 6 under an old key$/m);
    expect(stdout).toMatch(/^integrations\s+1 of 1 under an old key$/m);
  });

  it('a rotation killed after its second batch keeps both batches under B and the rest under A', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, '2'], {
      env: { PATH: process.env.PATH ?? '', ...envOf(emulator, engine.url, `${KEY_B},${KEY_A}`) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('paused after batch 2')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before pausing: ${output}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const checks = await checkSealedValues(storeA, new CredentialCipher(keys(`${KEY_B},${KEY_A}`)));
    const of = (table: string) => checks.find((check) => check.table === table);
    // Batches of two, connections first: four rewritten, one left; nothing else reached.
    expect(of('connections')).toMatchObject({ rows: 5, old: 1, unreadable: 0 });
    expect(of('attempts')).toMatchObject({ rows: 6, old: 6 });
    expect(of('integrations')).toMatchObject({ rows: 1, old: 1 });
  });

  it('run again, it finishes where the killed run stopped and exits 0', async () => {
    const { code, stdout } = await cli([], envOf(emulator, engine.url, `${KEY_B},${KEY_A}`));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^connections\s+1 re-encrypted, 0 skipped/m);
    expect(stdout).toMatch(/^attempts\s+6 re-encrypted, 0 skipped/m);
    expect(stdout).toMatch(/^integrations\s+1 re-encrypted, 0 skipped/m);
    expect(stdout).toContain('Every stored secret is under the first key.');
  });

  it('--check then says 0 on key A and exits 0', async () => {
    const { code, stdout } = await cli(
      ['--check'],
      envOf(emulator, engine.url, `${KEY_B},${KEY_A}`),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^connections\s+0 of 5 under an old key$/m);
    expect(stdout).toMatch(/^attempts\s+0 of 6 under an old key$/m);
    expect(stdout).toMatch(/^integrations\s+0 of 1 under an old key$/m);
  });

  it('with key A removed, every connection reads and refreshes at the emulator, and the waiting attempt completes', async () => {
    const b = await appWith(emulator, engine.url, KEY_B);
    try {
      for (const id of connections) {
        const response = await b.backend(`/connections/${id}?refresh=force`);
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          status: string;
          credentials: { access_token: string };
        };
        expect(body.status).toBe('active');
      }
      // The PKCE verifier encrypted under A is read under B at the callback.
      const callback = await b.target.fetch(pending.callbackUrl.toString(), {
        headers: { cookie: pending.cookie },
      });
      expect(postedResult(await callback.text()).message).toMatchObject({ ok: true });
    } finally {
      await b.store.close();
    }
  });
});

/** ENCRYPTION_KEYS as the config reads it. */
function keys(list: string): Uint8Array[] {
  return list.split(',').map((key) => new Uint8Array(Buffer.from(key, 'base64url')));
}
