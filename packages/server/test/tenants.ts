// Tenants at run time (DESIGN §4.8): a server with no configured integration, two emulators
// standing for two customers' PingOne environments, integrations made through the API with
// `auth_base_url`/`api_base_url` (ALLOW_LOOPBACK_PINGONE), and every request the server sends
// to PingOne recorded on the way out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startEmulator,
  type Emulator,
  type EmulatorClient,
  type EmulatorOptions,
} from '@pingone-connect/emulator';
import { TestClock, connectFlow, type FlowTarget } from '@pingone-connect/testing';
import type { Hono } from 'hono';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger/logger.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { HOST_ORIGIN, PUBLIC_URL, SECRET_KEY, postedResult, testKey } from './support.js';

export const ENV_A = '0a6a7f4e-1c8e-4b1a-9f3e-aaaaaaaaaaaa';
export const ENV_B = '0b6b7f4e-2c8e-4b1a-9f3e-bbbbbbbbbbbb';
export const SECRET_A = 'tenant-a-client-secret-0123456789';
export const SECRET_B = 'tenant-b-client-secret-9876543210';
export const WEBHOOK_SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

/** One request the server sent towards PingOne. */
export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
}

/** The client an emulator registers for the server. */
export function tenantClient(id: string, clientSecret: string): EmulatorClient {
  return {
    clientId: `${id}-client`,
    clientSecret,
    redirectUris: [`${PUBLIC_URL}/oauth/callback`],
    tokenEndpointAuthMethod: 'client_secret_post',
  };
}

/** An emulator for one tenant's environment. */
export async function startTenantEmulator(
  id: string,
  environmentId: string,
  clientSecret: string,
  options: Omit<EmulatorOptions, 'clients' | 'environmentId'> = {},
): Promise<Emulator> {
  return startEmulator({ ...options, environmentId, clients: [tenantClient(id, clientSecret)] });
}

/** A `POST /integrations` body for an emulator, its fields overridable. */
export function integrationBody(
  id: string,
  emulator: Pick<Emulator, 'issuer' | 'apiBaseUrl' | 'environmentId'>,
  clientSecret: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    display_name: `Customer ${id.toUpperCase()}`,
    environment_id: emulator.environmentId,
    auth_base_url: emulator.issuer,
    api_base_url: emulator.apiBaseUrl,
    client_id: `${id}-client`,
    client_secret: clientSecret,
    ...overrides,
  };
}

/** One app instance: a server process as far as the database can tell. */
export interface TenantApp {
  readonly app: Pick<Hono, 'request'>;
  readonly store: Store;
  readonly config: Config;
  /** Every request this app sent towards PingOne. */
  readonly outgoing: OutgoingRequest[];
  readonly logs: string[];
  /** A secret-key request to the app; `body` as JSON. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
  /** The flow against `emulator`, as the element and a browser make it. */
  target(emulator: Emulator): FlowTarget;
  close(): Promise<void>;
}

/** Options of {@link startTenantApp}. */
export interface TenantAppOptions {
  /** Default a fresh SQLite file in `dir`. */
  readonly databaseUrl?: string;
  readonly env?: Record<string, string>;
  readonly clock?: TestClock;
}

/** An app with no configured integration and the loopback switch on, unless `env` says. */
export async function startTenantApp(
  dir: string,
  options: TenantAppOptions = {},
): Promise<TenantApp> {
  const config = loadConfig({
    PUBLIC_URL,
    SECRET_KEYS: SECRET_KEY,
    SESSION_SIGNING_KEY: testKey(1),
    ENCRYPTION_KEYS: testKey(2),
    ALLOWED_ORIGINS: HOST_ORIGIN,
    DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dir, 'tenants.db')}`,
    ALLOW_LOOPBACK_PINGONE: 'true',
    RATE_LIMIT_OAUTH_PER_MINUTE: '1000',
    RATE_LIMIT_POLL_PER_MINUTE: '1000',
    ...options.env,
  });
  const store = await openStore(config.databaseUrl);
  const outgoing: OutgoingRequest[] = [];
  const logs: string[] = [];
  const clock = options.clock ?? new TestClock();
  const recording: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    outgoing.push({ url, method: init?.method ?? 'GET' });
    return fetch(input, init);
  };
  const app = createApp(config, store, {
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    clock: clock.now,
    fetch: recording,
  });
  const call = async (method: string, path: string, body?: unknown) =>
    await app.request(`${PUBLIC_URL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${SECRET_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    app,
    store,
    config,
    outgoing,
    logs,
    call,
    target: (emulator) => ({
      fetch: async (url, init) => await app.request(url, init),
      baseUrl: PUBLIC_URL,
      emulator,
      secretKey: SECRET_KEY,
      origin: HOST_ORIGIN,
    }),
    close: () => store.close(),
  };
}

/** A fresh directory for a test's database files. */
export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'pingone-connect-tenants-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A full connect flow for `integrationId` at `emulator`; the new connection's id. */
export async function connectTenant(
  app: TenantApp,
  emulator: Emulator,
  integrationId: string,
  endUserId = 'user-1',
): Promise<string> {
  const flow = await connectFlow(app.target(emulator), {
    session: { end_user: { id: endUserId }, integration_id: integrationId },
  });
  const { message } = postedResult(await flow.response.text());
  if (!message?.ok) throw new Error(`the flow failed: ${JSON.stringify(message)}`);
  return message.connection_id;
}
