// Shared by the flow, security and reliability tests: a real emulator on a loopback port, a
// real SQLite file in a fresh directory, and the app driven through `app.request()`.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorUser,
  type TokenEndpointAuthMethod,
} from '@pingone-connect/emulator';
import type { ResultMessage } from '@pingone-connect/protocol';
import { Hono } from 'hono';
import { expect } from 'vitest';
import { createApp, type AppOptions } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createLogger } from './logger/logger.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

export const PUBLIC_URL = 'http://127.0.0.1:3000';
export const HOST_ORIGIN = 'http://127.0.0.1:5173';
export const OTHER_ORIGIN = 'http://localhost:5174';
export const SECRET_KEY = 'sk_test_0123456789abcdefghijklmnopqrstuvwxyz';
export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-client-secret-0123456789';

/** A second user of the emulator, for "another PingOne account" cases. */
export const SECOND_USER: EmulatorUser = {
  id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  username: 'second',
  password: 'second-password',
  email: 'second@example.com',
  givenName: 'Second',
  familyName: 'Person',
};

/** A 32-byte base64url key made of one repeated byte: fixed, and obviously not a real one. */
export const testKey = (fill: number) => Buffer.alloc(32, fill).toString('base64url');

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** A clock tests move by hand: real time plus an explicit offset. */
export class TestClock {
  offset = 0;
  readonly now = (): number => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  tokenAuthMethod?: TokenEndpointAuthMethod;
  emulator?: Omit<EmulatorOptions, 'clients'>;
  env?: Record<string, string>;
  app?: Omit<AppOptions, 'logger' | 'clock'>;
  /** Mount the app at this path of another Hono app (PUBLIC_URL gets the path too). */
  mountPath?: string;
}

/** What a flow test works with. */
export interface Harness {
  readonly emulator: Emulator;
  readonly config: Config;
  readonly store: Store;
  /** The app, or the outer app it is mounted in. */
  readonly app: Pick<Hono, 'request'>;
  readonly clock: TestClock;
  /** Every log line the app wrote. */
  readonly logs: string[];
  readonly databaseFile: string;
  /** The absolute URL of one of the server's paths. */
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts an emulator, opens a fresh SQLite file and builds the app against them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-server-'));
  const tokenAuthMethod = options.tokenAuthMethod ?? 'client_secret_post';
  const publicUrl = `${PUBLIC_URL}${options.mountPath ?? ''}`;
  const emulator = await startEmulator({
    ...options.emulator,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${publicUrl}/oauth/callback`],
        tokenEndpointAuthMethod: tokenAuthMethod,
      },
    ],
  });
  const databaseFile = join(dir, 'connect.db');
  const config = loadConfig({
    PUBLIC_URL: publicUrl,
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: testKey(1),
    ENCRYPTION_KEYS: testKey(2),
    ALLOWED_ORIGINS: `${HOST_ORIGIN},${OTHER_ORIGIN}`,
    DATABASE_URL: `sqlite:${databaseFile}`,
    PINGONE_ENVIRONMENT_ID: emulator.environmentId,
    PINGONE_CLIENT_ID: CLIENT_ID,
    PINGONE_CLIENT_SECRET: CLIENT_SECRET,
    PINGONE_TOKEN_AUTH_METHOD: tokenAuthMethod,
    PINGONE_AUTH_BASE_URL: emulator.authBaseUrl,
    PINGONE_API_BASE_URL: emulator.apiBaseUrl,
    RATE_LIMIT_OAUTH_PER_MINUTE: '1000',
    RATE_LIMIT_POLL_PER_MINUTE: '1000',
    ...options.env,
  });
  const store = await openStore(config.databaseUrl);
  const logs: string[] = [];
  const clock = new TestClock();
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const server = createApp(config, store, { ...options.app, logger, clock: clock.now });
  const app: Pick<Hono, 'request'> = options.mountPath
    ? new Hono().route(options.mountPath, server)
    : server;
  return {
    emulator,
    config,
    store,
    app,
    clock,
    logs,
    databaseFile,
    url: (path) => `${publicUrl}${path}`,
    async close() {
      await store.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A session minted through the API. */
export interface MintedSession {
  token: string;
  jti: string;
  expires_at: string;
}

/** `POST /connect/sessions` with the secret key; fails the test unless it answers 201. */
export async function mint(
  harness: Harness,
  body: Record<string, unknown> = {},
): Promise<MintedSession> {
  const response = await harness.app.request(harness.url('/connect/sessions'), {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ end_user: { id: 'user-1', email: 'ada@example.com' }, ...body }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as MintedSession;
}

let attempts = 0;

/** A fresh attempt id, as the element makes them. */
export function newAttemptId(): string {
  attempts += 1;
  return `att_test${String(attempts).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`;
}

/** The popup's first request: the form post of `/oauth/connect`. */
export async function postConnect(
  harness: Harness,
  fields: { session_token: string; attempt_id?: string; origin?: string },
  headers: Record<string, string> = { origin: fields.origin ?? HOST_ORIGIN },
): Promise<Response> {
  const form = new URLSearchParams({
    attempt_id: newAttemptId(),
    origin: HOST_ORIGIN,
    ...fields,
  });
  return harness.app.request(harness.url('/oauth/connect'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form.toString(),
  });
}

/** The `name=value` of a response's Set-Cookie, ready to send back. */
export function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  return header.split(';')[0] ?? '';
}

/** A started attempt: where PingOne is, and what the browser holds. */
export interface StartedAttempt {
  attemptId: string;
  authorizeUrl: URL;
  cookie: string;
}

/** Mints nothing; posts `/oauth/connect` for `token` and expects the 303 to PingOne. */
export async function startAttempt(
  harness: Harness,
  token: string,
  origin = HOST_ORIGIN,
): Promise<StartedAttempt> {
  const attemptId = newAttemptId();
  const response = await postConnect(harness, {
    session_token: token,
    attempt_id: attemptId,
    origin,
  });
  expect(response.status).toBe(303);
  return {
    attemptId,
    authorizeUrl: new URL(response.headers.get('location') ?? ''),
    cookie: cookieOf(response),
  };
}

/**
 * Mints a session, starts an attempt and signs in at the emulator: the browser is about to
 * arrive at the callback `url` with its `cookie`.
 */
export async function signIn(
  harness: Harness,
): Promise<{ token: string; attemptId: string; url: URL; cookie: string }> {
  const { token } = await mint(harness);
  const attempt = await startAttempt(harness, token);
  const url = await harness.emulator.approve(attempt.authorizeUrl);
  return { token, attemptId: attempt.attemptId, url, cookie: attempt.cookie };
}

/** The browser arriving back at the callback with its cookie. */
export async function callback(
  harness: Harness,
  url: URL | string,
  cookie?: string,
): Promise<Response> {
  return await harness.app.request(url.toString(), cookie ? { headers: { cookie } } : {});
}

/** What the result page posts, and where to. */
export interface PostedResult {
  message: ResultMessage | null;
  targetOrigin: string | null;
}

/** Reads the message and target origin out of the result page's script. */
export function postedResult(html: string): PostedResult {
  const message = /var message = (.*);\n/.exec(html)?.[1];
  const target = /var targetOrigin = (.*);\n/.exec(html)?.[1];
  return {
    message: message ? (JSON.parse(message) as ResultMessage) : null,
    targetOrigin: target ? (JSON.parse(target) as string) : null,
  };
}

/** A whole successful flow: mint (unless a token is given), connect, sign in, callback. */
export async function connectFlow(
  harness: Harness,
  options: { token?: string; username?: string; session?: Record<string, unknown> } = {},
): Promise<{
  token: string;
  attempt: StartedAttempt;
  callbackUrl: URL;
  response: Response;
  html: string;
  posted: PostedResult;
}> {
  const token = options.token ?? (await mint(harness, options.session)).token;
  const attempt = await startAttempt(harness, token);
  const callbackUrl = await harness.emulator.approve(
    attempt.authorizeUrl,
    options.username ? { username: options.username } : {},
  );
  const response = await callback(harness, callbackUrl, attempt.cookie);
  const html = await response.text();
  return { token, attempt, callbackUrl, response, html, posted: postedResult(html) };
}

/** `GET` with the secret key. */
export async function backendGet(harness: Harness, path: string): Promise<Response> {
  return await harness.app.request(harness.url(path), {
    headers: { authorization: `Bearer ${SECRET_KEY}` },
  });
}

/** How many connections the store holds (up to 100). */
export async function connectionCount(harness: Harness): Promise<number> {
  const page = (await (await backendGet(harness, '/connections?limit=100')).json()) as {
    data: unknown[];
  };
  return page.data.length;
}

/** `GET /connect/attempts/:id` as the element polls it. */
export async function pollAttempt(
  harness: Harness,
  attemptId: string,
  token: string,
  origin = HOST_ORIGIN,
): Promise<Response> {
  return await harness.app.request(harness.url(`/connect/attempts/${attemptId}`), {
    headers: { authorization: `Bearer ${token}`, origin },
  });
}
