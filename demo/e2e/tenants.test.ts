import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATED_TENANTS } from '../src/emulated-tenants.js';
import { startDemo, type Demo } from '../src/start-demo.js';
import { docsScreenshot, launchBrowser, loopbackOnly } from './browser.js';
import {
  clickConnect,
  connectButton,
  expectListed,
  openApp,
  pingOneStatus,
  preflightChecks,
  savePingOne,
  signIn,
  switchCustomer,
  userOf,
  waitForActivity,
} from './sample-app.js';

// The two-customer walkthrough: Globex's admin sets up Globex's PingOne from the settings panel
// (a wrong secret first), connects, and the connection stays Globex's. Each test goes on from
// the state the one before left on the server; the screenshots are the README's.

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let offLoopback: string[];

beforeAll(async () => {
  demo = await startDemo({ ports: { app: 0, server: 0, emulator: 0 }, env: {} });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  offLoopback = loopbackOnly(context);
});

afterEach(async () => {
  await context.close();
  expect(offLoopback).toEqual([]);
});

const PASSED_BEFORE_THE_CLIENT = ['discovery', 'issuer', 'endpoints', 'pkce', 'auth_method'];

describe('two customers, each with its own PingOne', () => {
  it('starts with no integration: the Connect button waits for the customer’s PingOne', async () => {
    expect((await demo.client.listIntegrations()).data).toEqual([]);
    const page = await openApp(context, demo.appUrl, 'globex');
    expect(await pingOneStatus(page)).toBe('Not set up');
    await expect.poll(() => connectButton(page).isDisabled()).toBe(true);
    expect(await page.locator('#connect-hint').innerText()).toContain(
      "Set up Globex's PingOne in Your PingOne first",
    );
    // Pre-filled with Globex's emulated application, and the panel says why there is no region.
    expect(await page.getByLabel('Environment id').inputValue()).toBe(
      EMULATED_TENANTS.globex.environmentId,
    );
    expect(await page.getByLabel('Client id').inputValue()).toBe(EMULATED_TENANTS.globex.clientId);
    expect(await page.locator('#emulated-note').innerText()).toContain('auth_base_url');
    await docsScreenshot(page, 'tenants-1-settings');
  });

  it('shows the failing preflight check for a wrong client secret, and stores nothing', async () => {
    const page = await openApp(context, demo.appUrl, 'globex');
    await savePingOne(page, 'not-the-client-secret');
    const checks = await preflightChecks(page);
    expect(checks.slice(0, -1).map(({ name, ok, mark }) => ({ name, ok, mark }))).toEqual(
      PASSED_BEFORE_THE_CLIENT.map((name) => ({ name, ok: true, mark: '✓' })),
    );
    expect(checks.at(-1)).toEqual({
      name: 'client_credentials',
      ok: false,
      mark: '✗',
      message: expect.stringContaining('PingOne refused the client id or secret'),
    });
    expect(await page.locator('#save-status').innerText()).toBe(
      'PingOne refused these settings: nothing was saved.',
    );
    expect(await pingOneStatus(page)).toBe('Not set up');
    expect(await connectButton(page).isDisabled()).toBe(true);
    expect((await demo.client.listIntegrations()).data).toEqual([]);
    await docsScreenshot(page, 'tenants-2-preflight-failed');
  });

  it('passes every preflight check with the right secret, and the Connect button works', async () => {
    const page = await openApp(context, demo.appUrl, 'globex');
    await savePingOne(page, demo.tenants.globex.emulated!.clientSecret);
    const checks = await preflightChecks(page);
    expect(checks.map(({ name, ok, mark }) => ({ name, ok, mark }))).toEqual(
      [...PASSED_BEFORE_THE_CLIENT, 'client_credentials'].map((name) => ({
        name,
        ok: true,
        mark: '✓',
      })),
    );
    await expect.poll(() => pingOneStatus(page)).toBe('Set up');
    await expect.poll(() => connectButton(page).isDisabled()).toBe(false);
    const integration = await demo.client.getIntegration('globex');
    expect(integration).toMatchObject({
      environment_id: EMULATED_TENANTS.globex.environmentId,
      client_id: EMULATED_TENANTS.globex.clientId,
      source: 'api',
    });
  });

  it('connects as Globex’s admin on Globex’s environment and reads that profile', async () => {
    const page = await openApp(context, demo.appUrl, 'globex');
    const popup = await clickConnect(page);
    await signIn(popup, { user: userOf('globex') });
    await waitForActivity(page, 'pingone-connect-success');
    const [id] = await expectListed(page, 1);
    await waitForActivity(page, 'webhook connection.created');

    await page.getByRole('button', { name: 'Your PingOne profile' }).click();
    await waitForActivity(page, 'PingOne API answered 200');
    expect(JSON.parse(await page.locator('#response').innerText())).toMatchObject({
      id: EMULATED_TENANTS.globex.user.id,
      username: 'globex-admin',
    });
    const connection = await demo.client.getConnection(id!);
    expect(connection).toMatchObject({
      integration_id: 'globex',
      organization: { id: 'globex' },
      provider_account: { sub: EMULATED_TENANTS.globex.user.id },
    });
    await docsScreenshot(page, 'tenants-3-connected-globex');
  });

  it('shows Globex’s connection only under Globex: Acme has none and no PingOne yet', async () => {
    const page = await openApp(context, demo.appUrl, 'globex');
    const [id] = await expectListed(page, 1);
    await switchCustomer(page, 'acme');
    await expectListed(page, 0);
    expect(await page.locator('#no-connections').isVisible()).toBe(true);
    expect(await pingOneStatus(page)).toBe('Not set up');
    expect(await connectButton(page).isDisabled()).toBe(true);
    await docsScreenshot(page, 'tenants-4-acme');

    // Nor can Acme's pages reach it by its id.
    const response = await fetch(`${demo.appUrl}/api/customers/acme/connections/${id}/profile`, {
      method: 'POST',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });

    await switchCustomer(page, 'globex');
    expect(await expectListed(page, 1)).toEqual([id]);
  });
});
