// Shared by the flow, security and reliability tests: a real emulator on a loopback port, a
// real SQLite file in a fresh directory, and the app driven through `app.request()`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorUser,
} from '@pingone-connect/emulator';
import type { ResultMessage } from '@pingone-connect/protocol';
import {
  TestClock,
  connectFlow as headlessConnectFlow,
  emulatorEnv,
  freePort,
  mintSession,
  newAttemptId,
  signIn as headlessSignIn,
  startAttempt as headlessStartAttempt,
  type FlowTarget,
  type MintedSession,
  type StartedAttempt,
} from '@pingone-connect/testing';
import { Hono } from 'hono';
import { createApp, type AppOptions } from '../src/app.js';
import { loadConfig, type Config, type TokenAuthMethod } from '../src/config.js';
import { generateSigningKey, type ClientSigningKey } from '../src/crypto/signing-key.js';
import { createLogger } from '../src/logger/logger.js';
import { openStore, type StoreOptions } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';

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

export { TestClock, freePort, newAttemptId, type MintedSession, type StartedAttempt };

/**
 * A second integration (`CONFIG_FILE`, DESIGN §4.1) beside the env's `pingone`: only its id and
 * API base matter, no call of a test reaches it.
 */
export function otherIntegration(apiBaseUrl = 'http://127.0.0.1:9'): Record<string, unknown> {
  return {
    id: 'other',
    environment_id: 'other-environment',
    client_id: 'other-client',
    client_secret: 'other-secret',
    auth_base_url: 'http://127.0.0.1:9/other-environment/as',
    api_base_url: apiBaseUrl,
  };
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** With `private_key_jwt` the harness makes a key pair: the emulator's client gets its JWKS. */
  tokenAuthMethod?: TokenAuthMethod;
  emulator?: Omit<EmulatorOptions, 'clients'>;
  env?: Record<string, string>;
  app?: Omit<AppOptions, 'logger' | 'clock'>;
  /** How the store is opened, e.g. when its batches of log rows commit. */
  store?: StoreOptions;
  /** Mount the app at this path of another Hono app (PUBLIC_URL gets the path too). */
  mountPath?: string;
  /** More integrations, written to a `CONFIG_FILE` in the harness's directory. */
  integrations?: Record<string, unknown>[];
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
  /** With `private_key_jwt`: the key the server signs with, in PINGONE_PRIVATE_KEY_JWK. */
  readonly signingKey: ClientSigningKey | null;
  /** The app as the headless connect flow drives it. */
  readonly target: FlowTarget;
  /** The absolute URL of one of the server's paths. */
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts an emulator, opens a fresh SQLite file and builds the app against them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'pingone-connect-server-'));
  const tokenAuthMethod = options.tokenAuthMethod ?? 'client_secret_post';
  const publicUrl = `${PUBLIC_URL}${options.mountPath ?? ''}`;
  const signingKey = tokenAuthMethod === 'private_key_jwt' ? generateSigningKey() : null;
  const client = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${publicUrl}/oauth/callback`],
    tokenEndpointAuthMethod: tokenAuthMethod,
    ...(signingKey ? { jwks: { keys: [signingKey.publicJwk] } } : {}),
  };
  // A private_key_jwt integration has a key instead of a secret (an empty variable is unset).
  const credentialEnv = signingKey
    ? { PINGONE_CLIENT_SECRET: '', PINGONE_PRIVATE_KEY_JWK: JSON.stringify(signingKey.privateJwk) }
    : {};
  const emulator = await startEmulator({ ...options.emulator, clients: [client] });
  const databaseFile = join(dir, 'connect.db');
  let configFile: Record<string, string> = {};
  if (options.integrations) {
    const file = join(dir, 'integrations.json');
    await writeFile(file, JSON.stringify({ integrations: options.integrations }));
    configFile = { CONFIG_FILE: file };
  }
  const config = loadConfig({
    PUBLIC_URL: publicUrl,
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: testKey(1),
    ENCRYPTION_KEYS: testKey(2),
    ALLOWED_ORIGINS: `${HOST_ORIGIN},${OTHER_ORIGIN}`,
    DATABASE_URL: `sqlite:${databaseFile}`,
    ...emulatorEnv(emulator, client),
    ...credentialEnv,
    RATE_LIMIT_OAUTH_PER_MINUTE: '1000',
    RATE_LIMIT_POLL_PER_MINUTE: '1000',
    ...configFile,
    ...options.env,
  });
  const store = await openStore(config.databaseUrl, options.store);
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
    signingKey,
    target: {
      fetch: async (url, init) => await app.request(url, init),
      baseUrl: publicUrl,
      emulator,
      secretKey: SECRET_KEY,
      origin: HOST_ORIGIN,
    },
    url: (path) => `${publicUrl}${path}`,
    async close() {
      await store.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `POST /connect/sessions` with the secret key; fails the test unless it answers 201. */
export async function mint(
  harness: Harness,
  body: Record<string, unknown> = {},
): Promise<MintedSession> {
  return await mintSession(harness.target, sessionBody(body));
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

/** Mints nothing; posts `/oauth/connect` for `token` and expects the 303 to PingOne. */
export async function startAttempt(
  harness: Harness,
  token: string,
  origin = HOST_ORIGIN,
): Promise<StartedAttempt> {
  return await headlessStartAttempt(harness.target, token, { origin });
}

/**
 * Mints a session, starts an attempt and signs in at the emulator: the browser is about to
 * arrive at the callback `url` with its `cookie`.
 */
export async function signIn(
  harness: Harness,
): Promise<{ token: string; attemptId: string; url: URL; cookie: string }> {
  const signedIn = await headlessSignIn(harness.target, { session: sessionBody() });
  return { ...signedIn, url: signedIn.callbackUrl };
}

/** The body {@link mint} sends, with `body` over it. */
function sessionBody(body: Record<string, unknown> = {}): Record<string, unknown> {
  return { end_user: { id: 'user-1', email: 'ada@example.com' }, ...body };
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
  const { token, attemptId, authorizeUrl, cookie, callbackUrl, response } =
    await headlessConnectFlow(harness.target, {
      ...(options.token ? { token: options.token } : { session: sessionBody(options.session) }),
      ...(options.username ? { username: options.username } : {}),
    });
  const html = await response.text();
  const attempt = { attemptId, authorizeUrl, cookie };
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
