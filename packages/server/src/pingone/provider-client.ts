import * as oauth from 'oauth4webapi';
import type { Integration } from '../config.js';
import type { StoredCredentials } from '../connections/credentials.js';
import { ApiError } from '../errors.js';
import { clientAuthentication } from './client-auth.js';
import {
  carriesIdToken,
  classifyFailure,
  isTransportFailure,
  oauthErrorOf,
  refuseServerError,
} from './errors.js';

/** What a successful code exchange yields. */
export interface ExchangeResult {
  readonly sub: string;
  readonly email: string | null;
  readonly name: string | null;
  /** The scopes PingOne granted (or those requested, when it does not say). */
  readonly scopes: string[];
  readonly credentials: StoredCredentials;
  /**
   * The ID token's `auth_time` (epoch ms): when the end user signed on, which the sign-on
   * session's and the refresh tokens' lives count from (DESIGN §4.10). The exchange's own time
   * when PingOne leaves it out, which its token-claims page does not.
   */
  readonly signedOnAt: number;
}

/** What the attempt recorded, to check the authorization response against. */
export interface ExpectedResponse {
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly scopes: readonly string[];
}

/** Options of {@link ProviderClient}. */
export interface ProviderClientOptions {
  /** Bound on every request to PingOne, in milliseconds. */
  readonly timeoutMs: number;
  /** Replaces `fetch` for calls to PingOne (an egress proxy, instrumentation). */
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch: `expires_at` and the discovery cache. */
  readonly clock: () => number;
}

const METADATA_TTL_MS = 60 * 60 * 1000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Talks to one integration's PingOne authorization server with oauth4webapi: discovery
 * (cached), the authorization URL, the code exchange with every check of DESIGN §5.3
 * (state, RFC 9207 `iss`, PKCE, ID token `iss`/`aud`/`exp`/`nonce` and signature), refresh and
 * revocation. Every request is bounded by the timeout; failures come out as coded
 * {@link ApiError}s, classified in `./errors.ts`.
 */
export class ProviderClient {
  readonly integration: Integration;
  readonly #redirectUri: string;
  readonly #client: oauth.Client;
  readonly #auth: oauth.ClientAuth;
  readonly #issuer: URL;
  readonly #options: ProviderClientOptions;
  #metadata: { value: Promise<oauth.AuthorizationServer>; expiresAt: number } | undefined;
  // oauth4webapi keeps the fetched key set here and refetches it when a new `kid` appears.
  readonly #jwks: oauth.JWKSCacheInput = {};

  constructor(integration: Integration, redirectUri: string, options: ProviderClientOptions) {
    this.integration = integration;
    this.#redirectUri = redirectUri;
    this.#options = options;
    this.#issuer = new URL(integration.authBaseUrl);
    this.#client = { client_id: integration.clientId };
    // Built once per client: a private key is imported here, not on every request.
    this.#auth = clientAuthentication(integration.clientAuth);
  }

  /** The origin of PingOne's sign-in pages, for the popup's CSP `form-action`. */
  get authOrigin(): string {
    return this.#issuer.origin;
  }

  /**
   * Options of every oauth4webapi request: the timeout (each request's own, or the `deadline`
   * of the operation it is part of), and plain HTTP only on loopback.
   */
  #http<T extends string, B>(deadline?: AbortSignal): oauth.HttpRequestOptions<T, B> {
    const insecure = this.#issuer.protocol === 'http:' && LOOPBACK.has(this.#issuer.hostname);
    const custom = this.#options.fetch;
    return {
      signal: deadline ?? (() => AbortSignal.timeout(this.#options.timeoutMs)),
      // oauth4webapi hands fetch-compatible options; only their generic body type differs.
      ...(custom ? { [oauth.customFetch]: (url, init) => custom(url, init as RequestInit) } : {}),
      ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    };
  }

  /** The authorization server metadata, discovered once an hour; a failure is not cached. */
  async metadata(): Promise<oauth.AuthorizationServer> {
    const now = this.#options.clock();
    if (!this.#metadata || this.#metadata.expiresAt <= now) {
      const value = oauth
        .discoveryRequest(this.#issuer, { ...this.#http<'GET', undefined>(), algorithm: 'oidc' })
        .then((response) => oauth.processDiscoveryResponse(this.#issuer, response));
      this.#metadata = { value, expiresAt: now + METADATA_TTL_MS };
      value.catch(() => {
        if (this.#metadata?.value === value) this.#metadata = undefined;
      });
    }
    try {
      return await this.#metadata.value;
    } catch (cause) {
      throw new ApiError('provider_unavailable', undefined, { cause });
    }
  }

  /**
   * The metadata, or `provider_unavailable` once `deadline` passes. The shared discovery itself
   * goes on (other calls may be waiting for it); only this wait ends.
   */
  async #metadataBy(deadline: AbortSignal): Promise<oauth.AuthorizationServer> {
    const expired = () =>
      new ApiError('provider_unavailable', undefined, { cause: deadline.reason });
    if (deadline.aborted) throw expired();
    return Promise.race([
      this.metadata(),
      new Promise<never>((_, reject) =>
        deadline.addEventListener('abort', () => reject(expired()), { once: true }),
      ),
    ]);
  }

  /** A timeout for a whole operation: every request of it shares the one timer. */
  #deadline(): AbortSignal {
    return AbortSignal.timeout(this.#options.timeoutMs);
  }

  /** The PingOne authorize URL for an attempt (always PKCE S256, state and nonce). */
  async authorizationUrl(request: {
    state: string;
    nonce: string;
    codeVerifier: string;
    scopes: readonly string[];
  }): Promise<URL> {
    const as = await this.metadata();
    if (!as.authorization_endpoint) {
      throw new ApiError(
        'provider_unavailable',
        'PingOne did not advertise an authorization endpoint.',
      );
    }
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.integration.clientId,
      redirect_uri: this.#redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return url;
  }

  /**
   * Checks the authorization response (state; `iss` when present, and required when the
   * server says it sends it) and turns an OAuth error response into `access_denied` or
   * `provider_error`. Makes no request to PingOne.
   */
  async validateResponse(
    parameters: URLSearchParams,
    expectedState: string,
  ): Promise<URLSearchParams> {
    const as = await this.metadata();
    try {
      return oauth.validateAuthResponse(as, this.#client, parameters, expectedState);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) {
        const oauthError = oauthErrorOf(error);
        if (error.error === 'access_denied') {
          throw new ApiError('access_denied', undefined, { cause: error, oauthError });
        }
        throw new ApiError('provider_error', undefined, { cause: error, oauthError });
      }
      if (parameters.get('iss') !== as.issuer) {
        throw new ApiError('issuer_mismatch', undefined, { cause: error });
      }
      throw new ApiError('invalid_request', 'The sign-in response is not valid.', { cause: error });
    }
  }

  /**
   * Exchanges the code (PKCE verifier, the integration's client authentication) and validates the
   * token response and its ID token, including the `nonce`.
   *
   * @throws ApiError `provider_unavailable` (timeout, network, 5xx), `token_exchange_failed`
   *   (PingOne refused, with `oauth_error`), `id_token_invalid`.
   */
  async exchange(callback: URLSearchParams, expected: ExpectedResponse): Promise<ExchangeResult> {
    const as = await this.metadata();
    const parameters = await this.validateResponse(callback, expected.state);
    if (!parameters.get('code'))
      throw new ApiError('invalid_request', 'The sign-in response has no code.');
    let response: Response;
    let tokens: oauth.TokenEndpointResponse;
    let idTokenInBody = false;
    try {
      response = await oauth.authorizationCodeGrantRequest(
        as,
        this.#client,
        this.#auth,
        parameters,
        this.#redirectUri,
        expected.codeVerifier,
        this.#http(),
      );
      await refuseServerError(response, 'token endpoint');
      idTokenInBody = await carriesIdToken(response);
      tokens = await oauth.processAuthorizationCodeResponse(as, this.#client, response, {
        expectedNonce: expected.nonce,
        requireIdToken: true,
      });
    } catch (error) {
      throw classifyFailure(error, 'token_exchange_failed', idTokenInBody);
    }
    await this.#verifyIdTokenSignature(as, response);
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    if (!claims) throw new ApiError('id_token_invalid');
    const granted = tokens.scope ? tokens.scope.split(' ').filter(Boolean) : [...expected.scopes];
    const profile = await this.#profile(as, tokens.access_token, claims, granted);
    const now = this.#options.clock();
    return {
      sub: claims.sub,
      email: profile.email,
      name: profile.name,
      scopes: granted,
      signedOnAt: claims.auth_time === undefined ? now : claims.auth_time * 1000,
      credentials: {
        access_token: tokens.access_token,
        ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
        ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
        token_type: tokens.token_type,
        scope: granted.join(' '),
        ...(tokens.expires_in === undefined ? {} : { expires_at: now + tokens.expires_in * 1000 }),
      },
    };
  }

  /**
   * Exchanges the refresh token in `current` for new tokens. PingOne rotates the refresh token
   * on every use, so the result carries the new one (or keeps the old one when none came back),
   * and keeps the ID token when the response has none.
   *
   * @throws ApiError `provider_unavailable` (timeout, network, 5xx), `refresh_failed` (PingOne
   *   refused, with `oauth_error`: `invalid_grant` means the refresh token is dead),
   *   `id_token_invalid`.
   */
  async refresh(
    current: StoredCredentials & { refresh_token: string },
  ): Promise<StoredCredentials> {
    // One deadline for the whole refresh, so that the refresh lease can be short (DESIGN §6.8).
    const deadline = this.#deadline();
    const as = await this.#metadataBy(deadline);
    let response: Response;
    let tokens: oauth.TokenEndpointResponse;
    let idTokenInBody = false;
    try {
      response = await oauth.refreshTokenGrantRequest(
        as,
        this.#client,
        this.#auth,
        current.refresh_token,
        this.#http(deadline),
      );
      await refuseServerError(response, 'token endpoint');
      idTokenInBody = await carriesIdToken(response);
      tokens = await oauth.processRefreshTokenResponse(as, this.#client, response);
    } catch (error) {
      throw classifyFailure(error, 'refresh_failed', idTokenInBody);
    }
    if (tokens.id_token) await this.#verifyIdTokenSignature(as, response, deadline);
    const now = this.#options.clock();
    const expiresAt = tokens.expires_in === undefined ? undefined : now + tokens.expires_in * 1000;
    return {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token ?? current.refresh_token,
      ...(tokens.id_token || current.id_token
        ? { id_token: tokens.id_token ?? current.id_token }
        : {}),
      token_type: tokens.token_type,
      scope: tokens.scope ?? current.scope,
      ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
    };
  }

  /**
   * Revokes a token at PingOne's revocation endpoint (RFC 7009); revoking a refresh token ends
   * its whole grant.
   *
   * @throws ApiError `provider_unavailable` (timeout, network, 5xx, no revocation endpoint),
   *   `provider_error` (PingOne refused, with `oauth_error`).
   */
  async revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<void> {
    // One deadline, as for a refresh: a delete holds the refresh lease while it revokes.
    const deadline = this.#deadline();
    const as = await this.#metadataBy(deadline);
    if (!as.revocation_endpoint) {
      throw new ApiError(
        'provider_unavailable',
        'PingOne did not advertise a revocation endpoint.',
      );
    }
    try {
      const response = await oauth.revocationRequest(as, this.#client, this.#auth, token, {
        ...this.#http<'POST', URLSearchParams>(deadline),
        additionalParameters: { token_type_hint: hint },
      });
      await refuseServerError(response, 'revocation endpoint');
      await oauth.processRevocationResponse(response);
    } catch (error) {
      throw classifyFailure(error, 'provider_error');
    }
  }

  /**
   * Checks the signature of the ID token in a token response. Not required over TLS (OIDC Core
   * 3.1.3.7), but cheap with a cached JWKS, and it keeps the ID token trustworthy should the
   * transport ever not be.
   */
  async #verifyIdTokenSignature(
    as: oauth.AuthorizationServer,
    response: Response,
    deadline?: AbortSignal,
  ): Promise<void> {
    try {
      await oauth.validateApplicationLevelSignature(as, response, {
        ...this.#http<'GET', undefined>(deadline),
        [oauth.jwksCache]: this.#jwks,
      });
    } catch (cause) {
      const code = isTransportFailure(cause) ? 'provider_unavailable' : 'id_token_invalid';
      throw new ApiError(code, undefined, { cause });
    }
  }

  /**
   * The account's email and name: from the ID token, else from userinfo when the scopes allow
   * it. Best effort: they only label the connection, so a failure here does not fail the flow.
   */
  async #profile(
    as: oauth.AuthorizationServer,
    accessToken: string,
    claims: oauth.IDToken,
    scopes: readonly string[],
  ): Promise<{ email: string | null; name: string | null }> {
    const pick = (source: Record<string, unknown>) => ({
      email: typeof source.email === 'string' ? source.email : null,
      name:
        typeof source.name === 'string'
          ? source.name
          : [source.given_name, source.family_name]
              .filter((part) => typeof part === 'string')
              .join(' ') || null,
    });
    const fromToken = pick(claims);
    const wanted = scopes.includes('email') || scopes.includes('profile');
    if ((fromToken.email && fromToken.name) || !wanted || !as.userinfo_endpoint) return fromToken;
    try {
      const response = await oauth.userInfoRequest(as, this.#client, accessToken, this.#http());
      const info = await oauth.processUserInfoResponse(as, this.#client, claims.sub, response);
      const fromInfo = pick(info);
      return { email: fromToken.email ?? fromInfo.email, name: fromToken.name ?? fromInfo.name };
    } catch {
      return fromToken;
    }
  }
}
