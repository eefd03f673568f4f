import type { PreflightCheck, PreflightResult } from '@pingone-connect/protocol';
import * as oauth from 'oauth4webapi';
import type { ClientAuth } from '../config.js';
import { clientAuthentication } from '../pingone/client-auth.js';
import { isTransportFailure } from '../pingone/errors.js';

/** What a preflight checks: where PingOne is, and the client to authenticate as. */
export interface PreflightTarget {
  /** The derived issuer (`integrations/location.ts`), never one taken from a request. */
  readonly authBaseUrl: string;
  readonly clientId: string;
  /** The method and the secret or private key it authenticates with. */
  readonly clientAuth: ClientAuth;
}

/** Options of {@link runPreflight}. */
export interface PreflightOptions {
  /** The app's fetch (`AppOptions.fetch`), so that tests and egress proxies see these calls. */
  readonly fetch: typeof fetch;
  /** Bound on each request. */
  readonly timeoutMs: number;
  /** `PUBLIC_URL/oauth/callback`: sent with the invalid code, as a real exchange would. */
  readonly redirectUri: string;
}

/** Sent as the authorization code: PingOne never issued it, so it can only be refused. */
const INVALID_CODE = 'pingone-connect-preflight-not-a-code';

const pass = (name: string, message: string): PreflightCheck => ({ name, ok: true, message });
const fail = (name: string, message: string): PreflightCheck => ({ name, ok: false, message });

/**
 * Checks an integration's PingOne settings without an end user (DESIGN §4.8), one check after
 * another, stopping at the first that fails (the later ones would only fail for its reason):
 *
 * 1. `discovery`: the OpenID discovery document answers, in time, without a redirect — a
 *    redirect is a failure and is never followed (DESIGN §5.15).
 * 2. `issuer`: its `issuer` is exactly the derived one.
 * 3. `endpoints`: the authorization and token endpoints are on the issuer's origin.
 * 4. `pkce`: S256 is supported, when the document says which methods are.
 * 5. `auth_method`: the integration's token auth method is supported, when it says; for a
 *    signed assertion, so is its algorithm, when it says which.
 * 6. `client_credentials`: the token endpoint is sent a code that cannot exist, authenticated
 *    as the client with its own method. `invalid_grant` means the client id and its secret or
 *    key were accepted (the code is checked after the client); `invalid_client` means not.
 *
 * Messages speak to the customer's PingOne administrator and never contain the secret.
 */
export async function runPreflight(
  target: PreflightTarget,
  options: PreflightOptions,
): Promise<PreflightResult> {
  const checks: PreflightCheck[] = [];
  const done = (): PreflightResult => ({ ok: checks.every((c) => c.ok), checks });
  const issuer = new URL(target.authBaseUrl);
  const http = {
    signal: () => AbortSignal.timeout(options.timeoutMs),
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      options.fetch(url, init as RequestInit),
    // Only a loopback issuer is plain HTTP, and only one ALLOW_LOOPBACK_PINGONE let through.
    ...(issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}),
  };

  const discovery = await discover(issuer, target.authBaseUrl, http);
  checks.push(...discovery.checks);
  if (!discovery.as) return done();
  const as = discovery.as;

  const endpoints = [as.authorization_endpoint, as.token_endpoint];
  const offOrigin = endpoints.some((endpoint) => !endpoint || !onOrigin(endpoint, issuer.origin));
  if (offOrigin) {
    checks.push(
      fail(
        'endpoints',
        `The authorization and token endpoints must both be on ${issuer.origin}; the discovery document names others or none.`,
      ),
    );
    return done();
  }
  checks.push(pass('endpoints', `The authorization and token endpoints are on ${issuer.origin}.`));

  const challenges = as.code_challenge_methods_supported;
  if (challenges && !challenges.includes('S256')) {
    checks.push(
      fail(
        'pkce',
        'PingOne does not offer PKCE with S256: turn on "Require PKCE" (S256) in the application’s Configuration tab.',
      ),
    );
    return done();
  }
  checks.push(pass('pkce', 'PKCE with S256 is supported.'));

  const method = target.clientAuth.method;
  const methods = as.token_endpoint_auth_methods_supported;
  if (methods && !methods.includes(method)) {
    checks.push(
      fail(
        'auth_method',
        `PingOne does not accept ${method} at its token endpoint; choose one it lists (${methods.join(', ')}).`,
      ),
    );
    return done();
  }
  const alg = assertionAlg(target.clientAuth);
  const algs = as.token_endpoint_auth_signing_alg_values_supported;
  if (alg && algs && !algs.includes(alg)) {
    checks.push(
      fail(
        'auth_method',
        `PingOne does not accept ${alg} assertions at its token endpoint; it lists ${algs.join(', ')}.`,
      ),
    );
    return done();
  }
  checks.push(pass('auth_method', `${method}${alg ? ` (${alg})` : ''} is supported.`));

  checks.push(await authenticateClient(as, target, options, http));
  return done();
}

/** The algorithm of the client assertion the method signs, if it signs one. */
function assertionAlg(auth: ClientAuth): string | undefined {
  if (auth.method === 'private_key_jwt') return auth.signingKey.alg;
  // oauth4webapi's ClientSecretJwt signs with HS256.
  return auth.method === 'client_secret_jwt' ? 'HS256' : undefined;
}

type Http = Parameters<typeof oauth.discoveryRequest>[1] &
  oauth.HttpRequestOptions<'POST', URLSearchParams>;

function onOrigin(endpoint: string, origin: string): boolean {
  try {
    return new URL(endpoint).origin === origin;
  } catch {
    return false;
  }
}

/** The `discovery` and `issuer` checks, and the metadata when both passed. */
async function discover(
  issuer: URL,
  expected: string,
  http: Http,
): Promise<{ checks: PreflightCheck[]; as?: oauth.AuthorizationServer }> {
  const where = `${expected}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' });
  } catch (cause) {
    const message = isTransportFailure(cause)
      ? `PingOne did not answer at ${where} in time: check the region, custom domain or environment id.`
      : `The discovery document at ${where} could not be fetched.`;
    return { checks: [fail('discovery', message)] };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    return {
      checks: [
        fail(
          'discovery',
          `${where} answered with a redirect, which is not followed: PingOne serves discovery directly, so check the region, custom domain or environment id.`,
        ),
      ],
    };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return {
      checks: [
        fail(
          'discovery',
          `${where} answered ${response.status}: no PingOne environment answers there; check the environment id and the region or custom domain.`,
        ),
      ],
    };
  }
  const found: unknown = await response
    .clone()
    .json()
    .then((body: unknown) =>
      typeof body === 'object' && body ? (body as { issuer?: unknown }).issuer : undefined,
    )
    .catch(() => undefined);
  const fetched = pass('discovery', `The discovery document was found at ${where}.`);
  if (found !== expected) {
    await response.body?.cancel();
    return {
      checks: [
        fetched,
        fail(
          'issuer',
          `The discovery document names another issuer than ${expected}: check the environment id and the region or custom domain.`,
        ),
      ],
    };
  }
  try {
    const as = await oauth.processDiscoveryResponse(issuer, response);
    return { checks: [fetched, pass('issuer', `The issuer is ${expected}.`)], as };
  } catch {
    return {
      checks: [fetched, fail('issuer', `The discovery document at ${where} is not valid.`)],
    };
  }
}

/** The `client_credentials` check: the client authenticated with a code that cannot work. */
async function authenticateClient(
  as: oauth.AuthorizationServer,
  target: PreflightTarget,
  options: PreflightOptions,
  http: Http,
): Promise<PreflightCheck> {
  const name = 'client_credentials';
  const client: oauth.Client = { client_id: target.clientId };
  const auth = clientAuthentication(target.clientAuth);
  const keyed = target.clientAuth.method === 'private_key_jwt';
  let response: Response;
  try {
    // The invalid code dressed as a callback: oauth4webapi sends only validated parameters.
    const parameters = oauth.validateAuthResponse(
      as,
      client,
      new URLSearchParams({ code: INVALID_CODE, ...(as.issuer ? { iss: as.issuer } : {}) }),
      oauth.expectNoState,
    );
    response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      parameters,
      options.redirectUri,
      oauth.generateRandomCodeVerifier(),
      http,
    );
  } catch (cause) {
    return fail(
      name,
      isTransportFailure(cause)
        ? 'PingOne’s token endpoint did not answer in time.'
        : 'The token endpoint could not be called.',
    );
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    return fail(name, `PingOne’s token endpoint answered ${response.status}; try again later.`);
  }
  const error = await oauthErrorCode(response);
  switch (error) {
    case 'invalid_grant':
      return pass(
        name,
        keyed
          ? 'PingOne accepted the client id and the private key’s signature.'
          : 'PingOne accepted the client id and secret.',
      );
    case 'invalid_client':
      return fail(
        name,
        keyed
          ? `PingOne refused the client id or the signature of key ${target.clientAuth.signingKey.kid}: on the application’s Configuration tab, the Token Endpoint Authentication Method must be Private Key JWT and its JWKS must hold this key’s public JWK (kid ${target.clientAuth.signingKey.kid}).`
          : 'PingOne refused the client id or secret: copy both from the Overview tab of the application, and check its Token Endpoint Authentication Method on the Configuration tab.',
      );
    case 'unauthorized_client':
      return fail(
        name,
        'PingOne does not let this application use the Authorization Code grant: enable Authorization Code (and Refresh Token) in the application’s Configuration tab.',
      );
    default:
      return fail(
        name,
        `PingOne answered the test exchange unexpectedly (${error ?? `status ${response.status}`}): check the application’s Configuration tab.`,
      );
  }
}

/** The OAuth `error` of a token-endpoint answer; `invalid_client` for a bare 401 challenge. */
async function oauthErrorCode(response: Response): Promise<string | undefined> {
  const body: unknown = await response.json().catch(() => undefined);
  const error =
    typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'string' && /^[\x20-\x7e]{1,64}$/.test(error)) return error;
  return response.status === 401 ? 'invalid_client' : undefined;
}
