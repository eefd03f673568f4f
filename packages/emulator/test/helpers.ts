// Test-only helpers: an OAuth client (oauth4webapi) driving a real emulator over loopback HTTP.
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll } from 'vitest';
import { CookieJar } from '../src/cookie-jar.js';
import { startEmulator } from '../src/start-emulator.js';
import type {
  ApproveOptions,
  Emulator,
  EmulatorClient,
  EmulatorEnvironment,
  EmulatorOptions,
  EmulatorUser,
} from '../src/types.js';

/** A second client, registered for client_secret_basic. */
export const BASIC_CLIENT: EmulatorClient = {
  clientId: 'basic-client',
  clientSecret: 'basic-secret',
  redirectUris: ['http://127.0.0.1:4000/callback'],
  tokenEndpointAuthMethod: 'client_secret_basic',
};

/** A Worker application signing users on with the authorization code grant. */
export const WORKER_CLIENT: EmulatorClient = {
  clientId: 'worker-client',
  clientSecret: 'worker-secret',
  redirectUris: ['http://127.0.0.1:4020/callback'],
  applicationType: 'WORKER',
};

/** A second user. */
export const SECOND_USER: EmulatorUser = {
  id: '0b7e3c1a-9d2f-4e8b-a6c5-3f1e0d9c8b7a',
  username: 'second',
  password: 'second-password',
  email: 'second@example.com',
  givenName: 'Second',
  familyName: 'Person',
};

/** What the flow helpers need of an issuer: an emulator (its first environment) or one environment. */
export type Issuing = Pick<EmulatorEnvironment, 'issuer' | 'clients' | 'approve'>;

/** The emulator is plain http on 127.0.0.1; oauth4webapi refuses that unless told. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/**
 * Starts one emulator for the test file and closes it afterwards. Options given as a function are
 * read when it starts, after the `beforeAll` hooks registered before this call.
 */
export function useEmulator(options?: EmulatorOptions | (() => EmulatorOptions)): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('the emulator has not started');
    return emulator;
  };
}

export async function discover(emulator: Issuing): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(emulator.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

/** The private keys of the private_key_jwt clients made by {@link privateKeyJwtClient}. */
const PRIVATE_KEYS = new Map<string, Awaited<ReturnType<typeof generateKeyPair>>['privateKey']>();

/** A private_key_jwt client whose RS256 public key is registered, and which {@link clientAuth} signs for. */
export async function privateKeyJwtClient(
  clientId: string,
  redirectUri: string,
): Promise<EmulatorClient> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  PRIVATE_KEYS.set(clientId, privateKey);
  return {
    clientId,
    clientSecret: `${clientId}-unused-secret`,
    redirectUris: [redirectUri],
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' }] },
  };
}

export function clientAuth(client: EmulatorClient): oauth.ClientAuth {
  switch (client.tokenEndpointAuthMethod) {
    case 'client_secret_basic':
      return oauth.ClientSecretBasic(client.clientSecret);
    case 'client_secret_jwt':
      return oauth.ClientSecretJwt(client.clientSecret);
    case 'private_key_jwt': {
      const key = PRIVATE_KEYS.get(client.clientId);
      if (!key) throw new Error(`no private key for ${client.clientId}`);
      return oauth.PrivateKeyJwt(key);
    }
    default:
      return oauth.ClientSecretPost(client.clientSecret);
  }
}

/** One authorization request and the secrets its client keeps to finish it. */
export interface Authorization {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

/** Builds an authorization request the way the server does (PKCE S256, state, nonce). */
export async function authorization(
  as: oauth.AuthorizationServer,
  client: EmulatorClient,
  params: Record<string, string | null> = {},
): Promise<Authorization> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const redirectUri = client.redirectUris[0]!;
  const url = new URL(as.authorization_endpoint!);
  const all: Record<string, string | null> = {
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email p1:read:user',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  };
  for (const [key, value] of Object.entries(all))
    if (value !== null) url.searchParams.set(key, value);
  return { url, state, nonce, verifier, redirectUri };
}

/** Exchanges the code of an approved authorization; returns the raw token endpoint response. */
export async function exchange(
  as: oauth.AuthorizationServer,
  client: EmulatorClient,
  request: Authorization,
  callback: URL,
): Promise<Response> {
  const params = oauth.validateAuthResponse(
    as,
    { client_id: client.clientId },
    callback,
    request.state,
  );
  return oauth.authorizationCodeGrantRequest(
    as,
    { client_id: client.clientId },
    clientAuth(client),
    params,
    request.redirectUri,
    request.verifier,
    insecure,
  );
}

/** A whole code flow: authorize, approve as a browser would, exchange, validate (nonce included). */
export async function connect(
  emulator: Issuing,
  options: {
    client?: EmulatorClient;
    params?: Record<string, string | null>;
    approve?: ApproveOptions;
  } = {},
): Promise<oauth.TokenEndpointResponse> {
  const client = options.client ?? emulator.clients[0]!;
  const as = await discover(emulator);
  const request = await authorization(as, client, options.params);
  const callback = await emulator.approve(request.url, options.approve);
  const response = await exchange(as, client, request, callback);
  return oauth.processAuthorizationCodeResponse(as, { client_id: client.clientId }, response, {
    expectedNonce: request.nonce,
    requireIdToken: true,
  });
}

/** Sends a refresh token grant; returns the raw response. */
export async function refresh(
  emulator: Issuing,
  refreshToken: string,
  client = emulator.clients[0]!,
): Promise<Response> {
  const as = await discover(emulator);
  return oauth.refreshTokenGrantRequest(
    as,
    { client_id: client.clientId },
    clientAuth(client),
    refreshToken,
    insecure,
  );
}

/** The payload of a JWT, unverified: for reading what a test was just handed. */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** `… (Correlation ID: <uuid>)`, as PingOne ends every error description. */
export const CORRELATED =
  / \(Correlation ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/i;

/** A cookie-keeping HTTP client that does not follow redirects: for walking the pages by hand. */
export function browser(
  jar = new CookieJar(),
): (url: URL, init?: RequestInit) => Promise<Response> {
  return async (url, init = {}) => {
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response);
    return response;
  };
}

/** Where a redirect response points, resolved against the URL it answered. */
export function locationOf(response: Response, base: URL): URL {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location, base);
}
