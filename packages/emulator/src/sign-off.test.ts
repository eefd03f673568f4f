import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApproveError } from './approve.js';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  authorization,
  claimsOf,
  discover,
  exchange,
  refresh,
  SECOND_USER,
  useEmulator,
} from '../test/helpers.js';
import type { EmulatorBrowser, EmulatorClient } from './types.js';

/** A Web App with a registered post-logout redirect URI. */
const LOGOUT_CLIENT: EmulatorClient = {
  clientId: 'logout-client',
  clientSecret: 'logout-secret',
  redirectUris: ['http://127.0.0.1:4003/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1:4003/signed-out'],
};

describe('signoff ends the session and redirects (PingOne signoff, signoff-post)', () => {
  const emulator = useEmulator({
    clients: [DEFAULT_CLIENT, LOGOUT_CLIENT],
    users: [DEFAULT_USER, SECOND_USER],
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** Signs `username` on in `browser` through `client`; the token response. */
  async function signedOn(
    browser: EmulatorBrowser,
    client = DEFAULT_CLIENT,
    username = DEFAULT_USER.username,
  ) {
    const as = await discover(emulator());
    const request = await authorization(as, client);
    const callback = await browser.approve(request.url, { username });
    return oauth.processAuthorizationCodeResponse(
      as,
      { client_id: client.clientId },
      await exchange(as, client, request, callback),
      { expectedNonce: request.nonce },
    );
  }

  const sessionOf = (sid: unknown) =>
    emulator()
      .sessions()
      .find((s) => s.id === sid);

  it('answers 302 to PingOne’s signed-out page with the environment id, and ends the session', async () => {
    const browser = emulator().browser();
    const tokens = await signedOn(browser);

    const to = await browser.signOff();
    expect(to.origin).toBe(emulator().apiBaseUrl);
    expect(to.pathname).toBe(`/${emulator().environmentId}/signon/signed-out`);
    expect(to.searchParams.get('environmentId')).toBe(emulator().environmentId);
    const page = await (await fetch(to)).text();
    expect(page).toContain('You have signed off');
    expect(page).toContain('not PingOne');

    expect(sessionOf(claimsOf(tokens.access_token).sid)).toMatchObject({ endReason: 'signoff' });
    const after = await refresh(emulator(), tokens.refresh_token!);
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('needs a new sign-on in that browser afterwards: no single sign-on survives it', async () => {
    const browser = emulator().browser();
    const before = await signedOn(browser);
    await browser.signOff();

    const again = await signedOn(browser);
    expect(claimsOf(again.access_token).sid).not.toBe(claimsOf(before.access_token).sid);
  });

  it('redirects to a registered post_logout_redirect_uri with state, given id_token_hint', async () => {
    const browser = emulator().browser();
    const tokens = await signedOn(browser, LOGOUT_CLIENT);

    const to = await browser.signOff({
      idTokenHint: tokens.id_token!,
      postLogoutRedirectUri: LOGOUT_CLIENT.postLogoutRedirectUris![0],
      state: 'xyz',
    });
    expect(to.origin + to.pathname).toBe(LOGOUT_CLIENT.postLogoutRedirectUris![0]);
    expect(to.searchParams.get('state')).toBe('xyz');
  });

  it('takes a post_logout_redirect_uri without id_token_hint when some application registered it', async () => {
    const browser = emulator().browser();
    await signedOn(browser);

    const to = await browser.signOff({
      postLogoutRedirectUri: LOGOUT_CLIENT.postLogoutRedirectUris![0],
    });
    expect(to.origin + to.pathname).toBe(LOGOUT_CLIENT.postLogoutRedirectUris![0]);
  });

  it('with id_token_hint, refuses a post_logout_redirect_uri of another application: error page, session lives', async () => {
    const browser = emulator().browser();
    const tokens = await signedOn(browser);

    await expect(
      browser.signOff({
        idTokenHint: tokens.id_token!,
        postLogoutRedirectUri: LOGOUT_CLIENT.postLogoutRedirectUris![0],
      }),
    ).rejects.toMatchObject({ name: 'ApproveError', code: 'invalid_request', status: 400 });
    expect(sessionOf(claimsOf(tokens.access_token).sid)?.endedAt).toBeUndefined();
  });

  it('refuses a post_logout_redirect_uri no application registered, without redirecting', async () => {
    const browser = emulator().browser();
    await signedOn(browser);

    const error = await browser
      .signOff({ postLogoutRedirectUri: 'http://127.0.0.1:4003/elsewhere' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApproveError);
  });

  it('refuses an id_token_hint of another user than the signed-on one', async () => {
    const other = await signedOn(emulator().browser(), DEFAULT_CLIENT, SECOND_USER.username);
    const browser = emulator().browser();
    const tokens = await signedOn(browser);

    await expect(browser.signOff({ idTokenHint: other.id_token! })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(sessionOf(claimsOf(tokens.access_token).sid)?.endedAt).toBeUndefined();
  });

  it('accepts an expired id_token_hint', async () => {
    const browser = emulator().browser();
    const tokens = await signedOn(browser);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3600_000 });

    await expect(browser.signOff({ idTokenHint: tokens.id_token! })).resolves.toBeInstanceOf(URL);
    expect(sessionOf(claimsOf(tokens.access_token).sid)).toMatchObject({ endReason: 'signoff' });
  });

  it('refuses an id_token_hint it did not sign', async () => {
    const browser = emulator().browser();
    const tokens = await signedOn(browser);
    const [header, payload] = tokens.id_token!.split('.');

    await expect(
      browser.signOff({
        idTokenHint: `${header}.${payload}.${Buffer.from('x').toString('base64url')}`,
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('answers POST /as/signoff with the parameters in the body the same way', async () => {
    const browser = emulator().browser();
    const tokens = await signedOn(browser, LOGOUT_CLIENT);
    // The browser's cookies, reused by a hand-made form post.
    const probe = await browser.signOff({ idTokenHint: tokens.id_token! });
    expect(probe.pathname).toMatch(/signed-out$/);

    const response = await fetch(`${emulator().issuer}/signoff`, {
      method: 'POST',
      body: new URLSearchParams({
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: LOGOUT_CLIENT.postLogoutRedirectUris![0]!,
        state: 's',
      }),
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      `${LOGOUT_CLIENT.postLogoutRedirectUris![0]}?state=s`,
    );
  });

  it('signing off a browser that holds no session only redirects', async () => {
    const to = await emulator().browser().signOff();
    expect(to.pathname).toMatch(/signed-out$/);
  });

  it('serves nothing below the signoff path (oidc-provider’s confirmation steps are not PingOne’s)', async () => {
    const response = await fetch(`${emulator().issuer}/signoff/confirm`, { method: 'POST' });
    expect(response.status).toBe(400);
  });
});
