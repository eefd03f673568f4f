import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import { DEFAULT_USER } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { authorization, discover, exchange, type Authorization } from '../test/helpers.js';
import type { Emulator, EmulatorClient } from './types.js';

describe('the sign-on and consent pages in Chromium', () => {
  let browser: Browser;
  let emulator: Emulator;
  let client: EmulatorClient;
  /** Stands in for the application's redirect URI, so the last navigation lands somewhere real. */
  let callbackServer: Server;
  /** Another origin, where `/forward` on the callback server sends the browser on to. */
  let appServer: Server;
  let appOrigin: string;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for, and every console error it logged (CSP violations included). */
  let requested: string[];
  let consoleErrors: string[];

  beforeAll(async () => {
    appServer = createServer((_req, res) => res.end('back in the application'));
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
    callbackServer = createServer((req, res) => {
      if (req.url?.startsWith('/forward')) {
        res.writeHead(303, { location: `${appOrigin}/settings` }).end();
      } else {
        res.end('callback received');
      }
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    const { port } = callbackServer.address() as AddressInfo;
    client = {
      clientId: 'browser-client',
      clientSecret: 'browser-secret',
      redirectUris: [`http://127.0.0.1:${port}/callback`, `http://127.0.0.1:${port}/forward`],
    };
    emulator = await startEmulator({ clients: [client] });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await new Promise((resolve) => callbackServer?.close(resolve));
    await new Promise((resolve) => appServer?.close(resolve));
  });

  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    requested = [];
    consoleErrors = [];
    context.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  afterEach(async () => {
    await context.close();
  });

  async function open(): Promise<Authorization> {
    const request = await authorization(await discover(emulator), client);
    await page.goto(request.url.href);
    return request;
  }

  async function signOn(password = DEFAULT_USER.password): Promise<void> {
    await page.getByLabel('Username').fill(DEFAULT_USER.username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign on' }).click();
  }

  async function landedOnCallback(): Promise<URL> {
    await page.waitForURL((url) => url.href.startsWith(client.redirectUris[0]!));
    return new URL(page.url());
  }

  it('signs on, consents, and lands on the redirect URI with a code that exchanges', async () => {
    const request = await open();
    expect(await page.getByRole('note').textContent()).toContain('not PingOne');

    await signOn();
    await page.getByRole('button', { name: 'Allow' }).click();
    const callback = await landedOnCallback();

    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.has('iss')).toBe(false);
    const as = await discover(emulator);
    const response = await exchange(as, client, request, callback);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      { client_id: client.clientId },
      response,
      {
        expectedNonce: request.nonce,
        requireIdToken: true,
      },
    );
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(DEFAULT_USER.id);
    expect(consoleErrors).toEqual([]);
  });

  it('makes no request off loopback', async () => {
    await open();
    await signOn();
    await page.getByRole('button', { name: 'Allow' }).click();
    await landedOnCallback();

    expect(requested.length).toBeGreaterThanOrEqual(4);
    for (const url of requested) expect(new URL(url).hostname, url).toBe('127.0.0.1');
  });

  it('shows an error on the page for a wrong password and stays on it', async () => {
    await open();
    await signOn('wrong-password');

    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Incorrect username or password',
    );
    expect(await page.getByLabel('Username').inputValue()).toBe(DEFAULT_USER.username);
  });

  it('sends access_denied to the redirect URI when the user presses Deny', async () => {
    const request = await open();
    await signOn();
    await page.getByRole('button', { name: 'Deny' }).click();
    const callback = await landedOnCallback();

    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(consoleErrors).toEqual([]);
  });

  it('lets the redirect URI send the browser on to another origin after the consent post', async () => {
    // As PingOne's, whose sign-on UI redirects to the resume endpoint: no form-action of the
    // consent page stands between the client's callback and the page the client goes on to.
    const request = await authorization(await discover(emulator), client, {
      redirect_uri: client.redirectUris[1]!,
    });
    await page.goto(request.url.href);
    await signOn();
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL(`${appOrigin}/settings`);
    expect(await page.locator('body').textContent()).toBe('back in the application');
    expect(consoleErrors).toEqual([]);
  });

  it('lists the requested scopes on the consent page', async () => {
    await open();
    await signOn();

    const scopes = await page.getByRole('listitem').allTextContents();
    expect(scopes).toEqual(['openid', 'profile', 'email', 'p1:read:user']);
  });
});
