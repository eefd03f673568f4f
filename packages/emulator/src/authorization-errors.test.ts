import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { ApproveError } from './approve.js';
import { DEFAULT_CLIENT } from './defaults.js';
import { MULTIPLE_RESOURCES_DESCRIPTION } from './scopes.js';
import {
  authorization,
  BASIC_CLIENT,
  clientAuth,
  CORRELATED,
  discover,
  exchange,
  insecure,
  useEmulator,
} from '../test/helpers.js';
import type { EmulatorClient } from './types.js';

/** The error an authorization request earns at the client's redirect URI. */
async function redirectedError(url: URL, callback: URL) {
  expect(callback.origin + callback.pathname).toBe(url.searchParams.get('redirect_uri'));
  expect(callback.searchParams.has('code')).toBe(false);
  expect(callback.searchParams.get('state')).toBe(url.searchParams.get('state'));
  return {
    error: callback.searchParams.get('error'),
    description: callback.searchParams.get('error_description') ?? '',
  };
}

describe('authorization requests the emulator refuses', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, BASIC_CLIENT] });

  it('redirect URI matched exactly: another path gets an error page and no redirect', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, {
      redirect_uri: 'http://127.0.0.1:3000/oauth/other',
    });

    const error = await emulator()
      .approve(url)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApproveError);
    expect(error).toMatchObject({ code: 'invalid_redirect_uri', status: 400 });
    expect((error as Error).message).toMatch(CORRELATED);
  });

  it('redirect URI matched exactly: another loopback port gets an error page', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, {
      redirect_uri: 'http://127.0.0.1:3001/oauth/callback',
    });

    await expect(emulator().approve(url)).rejects.toMatchObject({ code: 'invalid_redirect_uri' });
  });

  it('redirect URI matched exactly: an extra query parameter gets an error page', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, {
      redirect_uri: 'http://127.0.0.1:3000/oauth/callback?next=/admin',
    });

    await expect(emulator().approve(url)).rejects.toMatchObject({ code: 'invalid_redirect_uri' });
  });

  it('answers p1: scopes mixed with another resource with PingOne wording', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, {
      scope: 'openid p1:read:user read:photos',
    });
    const { error, description } = await redirectedError(url, await emulator().approve(url));

    expect(error).toBe('invalid_scope');
    expect(description).toMatch(
      /May not request scopes for multiple resources \(Correlation ID: [0-9a-f-]{36}\)$/,
    );
    expect(description.startsWith(MULTIPLE_RESOURCES_DESCRIPTION)).toBe(true);
  });

  it('accepts OpenID Connect scopes with a custom resource, and issues a token for that resource', async () => {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT, { scope: 'openid read:photos' });
    const response = await exchange(
      as,
      DEFAULT_CLIENT,
      request,
      await emulator().approve(request.url),
    );
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      response,
      {
        expectedNonce: request.nonce,
      },
    );

    const [, payload] = tokens.access_token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      aud: ['urn:example:photos'],
      scope: 'openid read:photos',
    });
  });

  it('answers an unknown scope with invalid_scope', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, {
      scope: 'openid p1:delete:everything',
    });
    const { error, description } = await redirectedError(url, await emulator().approve(url));

    expect(error).toBe('invalid_scope');
    expect(description).toMatch(/p1:delete:everything/);
  });

  it('refuses a client that is not registered, on an error page', async () => {
    const as = await discover(emulator());
    const { url } = await authorization(as, DEFAULT_CLIENT, { client_id: 'nobody' });

    await expect(emulator().approve(url)).rejects.toMatchObject({ code: 'invalid_client' });
  });
});

describe('token requests the emulator refuses', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, BASIC_CLIENT] });

  /** Approves a request for `client` and returns what it needs to exchange the code. */
  async function approved(client: EmulatorClient) {
    const as = await discover(emulator());
    const request = await authorization(as, client);
    return { as, request, callback: await emulator().approve(request.url) };
  }

  async function errorBody(response: Response) {
    return (await response.json()) as { error: string; error_description: string };
  }

  it('a wrong code_verifier for the challenge sent gets invalid_grant', async () => {
    const { as, request, callback } = await approved(DEFAULT_CLIENT);
    const response = await exchange(
      as,
      DEFAULT_CLIENT,
      { ...request, verifier: oauth.generateRandomCodeVerifier() },
      callback,
    );

    expect(response.status).toBe(400);
    const body = await errorBody(response);
    expect(body.error).toBe('invalid_grant');
    expect(body.error_description).toMatch(CORRELATED);
  });

  it('a wrong client secret gets invalid_client (401)', async () => {
    const { as, request, callback } = await approved(DEFAULT_CLIENT);
    const wrong = { ...DEFAULT_CLIENT, clientSecret: 'not-the-secret' };
    const response = await exchange(as, wrong, request, callback);

    expect(response.status).toBe(401);
    const body = await errorBody(response);
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(CORRELATED);
    expect(JSON.stringify(body)).not.toContain(DEFAULT_CLIENT.clientSecret);
  });

  it.each([
    ['client_secret_basic', 'posts its secret', BASIC_CLIENT, 'client_secret_post'],
    ['client_secret_post', 'sends Basic credentials', DEFAULT_CLIENT, 'client_secret_basic'],
  ] as const)('a %s client that %s gets invalid_client', async (_, __, client, presented) => {
    const { as, request, callback } = await approved(client);
    const response = await exchange(
      as,
      { ...client, tokenEndpointAuthMethod: presented },
      request,
      callback,
    );

    expect(response.status).toBe(401);
    const body = await errorBody(response);
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/^Request denied: Unsupported authentication method/);
  });

  it('a code exchanged with another redirect_uri gets invalid_grant', async () => {
    const { as, request, callback } = await approved(DEFAULT_CLIENT);
    const params = oauth.validateAuthResponse(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      callback,
      request.state,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      clientAuth(DEFAULT_CLIENT),
      params,
      'http://127.0.0.1:3000/oauth/elsewhere',
      request.verifier,
      insecure,
    );

    expect(response.status).toBe(400);
    expect((await errorBody(response)).error).toBe('invalid_grant');
  });

  it('a code used twice gets invalid_grant the second time', async () => {
    const { as, request, callback } = await approved(DEFAULT_CLIENT);
    expect((await exchange(as, DEFAULT_CLIENT, request, callback)).status).toBe(200);

    const again = await exchange(as, DEFAULT_CLIENT, request, callback);
    expect(again.status).toBe(400);
    expect((await errorBody(again)).error).toBe('invalid_grant');
  });
});
