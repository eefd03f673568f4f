import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USER, type Emulator } from '@pingone-connect/emulator';
import BetterSqlite3 from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { generateSigningKey, parseSigningKey } from './crypto/signing-key.js';
import { createLogger } from './logger/logger.js';
import { serve } from './node.js';
import { ServerProcess, emulatorFor, serverEnv, signInOverHttp } from '../test/server-process.js';
import { WEBHOOK_ENV } from '../test/connections.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  HOST_ORIGIN,
  SECRET_KEY,
  freePort,
  postedResult,
  testKey,
} from '../test/support.js';
import { startReceiver, type Receiver } from '../test/receiver.js';

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('§6.6 SIGTERM: stop accepting, finish in-flight requests, close the store', () => {
  let emulator: Emulator;
  let dir: string;
  let server: ServerProcess | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-node-'));
  });
  afterEach(async () => {
    server?.kill();
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets a slow callback finish, refuses new connections, exits 0 with the WAL checkpointed', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator = await emulatorFor(publicUrl);
    const database = join(dir, 'connect.db');
    server = new ServerProcess([], serverEnv(port, emulator, database));
    await server.waitFor(/listening on/);
    const { callbackUrl, cookie } = await signInOverHttp(publicUrl, emulator, 'att_sigterm_01');

    // The callback is held at PingOne's token endpoint while the server is told to stop.
    emulator.faults.tokenDelayMs = 1500;
    emulator.resetCounters();
    const inFlight = fetch(callbackUrl, { headers: { cookie } });
    while (emulator.tokenRequests('authorization_code') === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    server.child.kill('SIGTERM');
    await server.waitFor(/"event":"server.stopping"/);
    expect(await refusesConnections(port)).toBe(true);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(postedResult(await response.text()).message).toMatchObject({
      ok: true,
      attempt_id: 'att_sigterm_01',
    });

    expect(await server.exited).toBe(0);
    expect(server.stdout.join('\n')).toContain('"event":"server.stopped"');
    const wal = `${database}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const db = new BetterSqlite3(database, { readonly: true });
    const rows = db.prepare('select count(*) as n from connections').get() as { n: number };
    db.close();
    expect(rows.n).toBe(1);
  });
});

describe('a clean shutdown commits the log rows still queued', () => {
  let emulator: Emulator;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-node-'));
  });
  afterEach(async () => {
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a proxied call’s proxy.request row before close() closes the store', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator = await emulatorFor(publicUrl);
    const database = join(dir, 'connect.db');
    const running = await serve(loadConfig(serverEnv(port, emulator, database)), {
      signals: [],
      logger: createLogger({ sink: () => {} }),
      // No batch commits on its timer: only the shutdown can have written the row.
      store: { logBatch: { maxDelayMs: 60 * 60 * 1000, maxRows: 100 } },
    });
    const { callbackUrl, cookie } = await signInOverHttp(publicUrl, emulator, 'att_closing_01');
    const callback = await fetch(callbackUrl, { headers: { cookie } });
    const { message } = postedResult(await callback.text());
    if (!message?.ok) throw new Error('the flow did not succeed');
    const ownRecord = `/v1/environments/${emulator.environmentId}/users/${DEFAULT_USER.id}`;
    const response = await fetch(`${publicUrl}/proxy${ownRecord}`, {
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'connection-id': message.connection_id },
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();

    await running.close();
    const db = new BetterSqlite3(database, { readonly: true });
    const rows = db
      .prepare("select connection_id from logs where event = 'proxy.request'")
      .all() as { connection_id: string }[];
    db.close();
    expect(rows).toEqual([{ connection_id: message.connection_id }]);
  });
});

describe('§6.4 a crash (kill -9) loses no committed connection and no queued webhook', () => {
  let emulator: Emulator;
  let dir: string;
  let receiver: Receiver | undefined;
  const servers: ServerProcess[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingone-connect-crash-'));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) server.kill();
    await receiver?.close();
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers the webhook of a connection committed before SIGKILL once the server is back', async () => {
    const port = await freePort();
    const receiverPort = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator = await emulatorFor(publicUrl);
    const env = {
      ...serverEnv(port, emulator, join(dir, 'connect.db')),
      WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/webhooks`,
      WEBHOOK_SECRET: WEBHOOK_ENV.WEBHOOK_SECRET,
    };
    const first = new ServerProcess([], env);
    servers.push(first);
    await first.waitFor(/listening on/);

    const { callbackUrl, cookie } = await signInOverHttp(publicUrl, emulator, 'att_sigkill_01');
    const finished = await fetch(callbackUrl, { headers: { cookie } });
    const { message } = postedResult(await finished.text());
    if (!message?.ok) throw new Error('the connect flow failed');
    // Committed and tried once against the receiver, which is down: the event is still queued.
    await first.waitFor(/"event":"webhook.attempt_failed"/);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    receiver = await startReceiver(receiverPort);
    const second = new ServerProcess([], env);
    servers.push(second);
    await second.waitFor(/listening on/);

    const delivery = await receiver.next();
    const event = new Webhook(WEBHOOK_ENV.WEBHOOK_SECRET).verify(
      delivery.body,
      delivery.headers as Record<string, string>,
    );
    expect(event).toMatchObject({
      type: 'connection.created',
      data: { connection_id: message.connection_id, end_user: { id: 'user-1' } },
    });
    const read = await fetch(`${publicUrl}/connections/${message.connection_id}`, {
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(read.status).toBe(200);
  });
});

describe('the pingone-connect-server command', () => {
  let server: ServerProcess | undefined;
  afterEach(() => server?.kill());

  it('names every bad variable in one message and exits 2', async () => {
    server = new ServerProcess([], {
      PORT: 'eighty',
      SECRET_KEYS: 'short',
      ALLOWED_ORIGINS: 'https://app.example.com/path',
      PINGONE_SCOPES: 'profile email',
    });
    expect(await server.exited).toBe(2);
    for (const variable of [
      'PORT',
      'SECRET_KEYS',
      'SESSION_SIGNING_KEY',
      'ENCRYPTION_KEYS',
      'ALLOWED_ORIGINS',
      'PINGONE_ENVIRONMENT_ID',
      'PINGONE_CLIENT_ID',
      'PINGONE_CLIENT_SECRET',
      'PINGONE_SCOPES',
    ]) {
      expect(server.stderr).toMatch(new RegExp(`^  ${variable}: `, 'm'));
    }
    expect(server.stderr).not.toContain('short');
  });

  it('names a bad PINGONE_PRIVATE_KEY_JWK without quoting it, and exits 2', async () => {
    const { publicJwk } = generateSigningKey();
    server = new ServerProcess([], {
      SECRET_KEYS: SECRET_KEY,
      SESSION_SIGNING_KEY: testKey(1),
      ENCRYPTION_KEYS: testKey(2),
      ALLOWED_ORIGINS: HOST_ORIGIN,
      PINGONE_ENVIRONMENT_ID: '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b',
      PINGONE_CLIENT_ID: 'client',
      PINGONE_TOKEN_AUTH_METHOD: 'private_key_jwt',
      PINGONE_PRIVATE_KEY_JWK: JSON.stringify(publicJwk),
    });
    expect(await server.exited).toBe(2);
    expect(server.stderr).toMatch(/^  PINGONE_PRIVATE_KEY_JWK: is a public key/m);
    expect(server.stderr).not.toContain(publicJwk.n.slice(0, 16));
  });

  it('generates a key pair: the private JWK the server takes, the public JWKS for PingOne', async () => {
    const command = new ServerProcess(['generate-key', '--alg', 'RS384'], {});
    expect(await command.exited).toBe(0);
    const [, privateLine, , jwksLine] = command.stdout;
    const parsed = parseSigningKey(privateLine);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.key.alg).toBe('RS384');
    expect(JSON.parse(jwksLine ?? '')).toEqual({ keys: [parsed.key.publicJwk] });
    expect(jwksLine).not.toContain(parsed.key.privateJwk.d);
  });

  it('refuses --dev in production and exits 2', async () => {
    server = new ServerProcess(['--dev'], { NODE_ENV: 'production' });
    expect(await server.exited).toBe(2);
    expect(server.stderr).toContain('refused when NODE_ENV=production');
  });

  it('generates the missing keys with --dev and prints them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-dev-'));
    try {
      server = new ServerProcess(['--dev'], {
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir, 'dev.db')}`,
        ALLOWED_ORIGINS: HOST_ORIGIN,
        PINGONE_ENVIRONMENT_ID: 'emulated',
        PINGONE_AUTH_BASE_URL: 'http://127.0.0.1:9/emulated/as',
        PINGONE_CLIENT_ID: CLIENT_ID,
        PINGONE_CLIENT_SECRET: CLIENT_SECRET,
      });
      await server.waitFor(/listening on/);
      expect(server.stderr).toMatch(/SECRET_KEYS=sk_dev_[A-Za-z0-9_-]{43}/);
      expect(server.stderr).toMatch(/SESSION_SIGNING_KEY=[A-Za-z0-9_-]{43}/);
      expect(server.stderr).toMatch(/ENCRYPTION_KEYS=[A-Za-z0-9_-]{43}/);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
