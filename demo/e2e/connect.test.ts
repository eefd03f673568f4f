import { createRequire } from 'node:module';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/start-demo.js';
import { docsScreenshot, launchBrowser, loopbackOnly, screenshot } from './browser.js';
import { EMULATED_TENANTS } from '../src/emulated-tenants.js';
import {
  clickConnect,
  clickWithoutUserActivation,
  elementState,
  expectListed,
  openApp,
  openConnectableApp,
  signIn,
  waitForActivity,
} from './sample-app.js';

const require = createRequire(import.meta.url);

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let offLoopback: string[];
let clockOffsetMs = 0;

/** Everything secret that passed through the run, to look for in the logs at the end. */
const secrets = new Set<string>();
const serverLog: string[] = [];

beforeAll(async () => {
  demo = await startDemo({
    ports: { app: 0, server: 0, emulator: 0 },
    env: {},
    log: (line) => serverLog.push(line),
    clock: () => Date.now() + clockOffsetMs,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  offLoopback = loopbackOnly(context);
  // Collect the secrets the browser sees: session tokens and authorization codes.
  context.on('response', async (response) => {
    if (!response.url().endsWith('/connect-session') || !response.ok()) return;
    const { token } = (await response.json()) as { token: string };
    secrets.add(token);
  });
  context.on('request', (request) => {
    const code = new URL(request.url()).searchParams.get('code');
    if (code) secrets.add(code);
  });
});

afterEach(async (test) => {
  const page = context.pages()[0];
  if (page) await screenshot(page, test.task.name.replace(/\W+/g, '-'));
  await context.close();
  expect(offLoopback).toEqual([]);
});

describe('connecting a PingOne account in the sample app', () => {
  it('connects through the popup, reads the PingOne profile, and disconnects', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    const popup = await clickConnect(page);
    const closed = popup.waitForEvent('close');
    await signIn(popup);
    await closed;
    await waitForActivity(page, 'pingone-connect-success');
    expect(await elementState(page)).toBe('connected');
    const [id] = await expectListed(page, 1);
    expect(id).toMatch(/^conn_/);
    await waitForActivity(page, 'webhook connection.created');

    // The user's own record: sample backend → Node client → proxy → the emulator's API.
    await page.getByRole('button', { name: 'Your PingOne profile' }).click();
    await waitForActivity(page, 'PingOne API answered 200');
    const profile = JSON.parse(await page.locator('#response').innerText());
    expect(profile).toMatchObject({
      id: EMULATED_TENANTS.acme.user.id,
      username: EMULATED_TENANTS.acme.user.username,
    });
    await docsScreenshot(page, 'demo');

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await waitForActivity(page, 'webhook connection.deleted');
    // The demo's grant is for PingOne's own API (p1:), which /as/revoke does not end.
    const disconnected = page.locator('#log li', { hasText: 'Disconnected' }).first();
    expect(await disconnected.textContent()).toContain('"not_revocable"');
    await expectListed(page, 0);
    expect((await demo.client.listConnections()).data).toEqual([]);
  });

  it('shows PingOne’s 403 ACCESS_FAILED for List environments, and says why', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    const popup = await clickConnect(page);
    await signIn(popup);
    await waitForActivity(page, 'pingone-connect-success');
    await expectListed(page, 1);

    // The seed's quickstart call: PingOne refuses it to a Web App's self-service token.
    await page.getByRole('button', { name: 'List environments' }).click();
    await waitForActivity(page, 'PingOne API answered 403');
    const answer = JSON.parse(await page.locator('#response').innerText());
    expect(answer).toMatchObject({
      code: 'ACCESS_FAILED',
      message: expect.stringContaining('You do not have access to this resource.'),
    });
    expect(await page.locator('#environments-note').innerText()).toContain(
      "a Web App's self-service token carries no role",
    );
    await docsScreenshot(page, 'list-environments-refused');

    // Leave no connection behind for the reconnect test that follows.
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expectListed(page, 0);
  });

  it('reconnecting the same PingOne user updates the same connection', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    const first = await clickConnect(page);
    await signIn(first);
    await waitForActivity(page, 'pingone-connect-success');
    const [id] = await expectListed(page, 1);
    // The provider's sign-on session and grant are remembered: no page is shown this time.
    await clickConnect(page);
    await waitForActivity(page, 'webhook connection.updated');
    expect(await expectListed(page, 1)).toEqual([id]);
  });

  it('shows access_denied when the user denies consent', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    const popup = await clickConnect(page);
    await signIn(popup, { decision: 'Deny' });
    await waitForActivity(page, 'pingone-connect-error: access_denied');
    expect(await elementState(page)).toBe('error');
  });

  it('reports close when the user closes the popup, and the button works again', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    const popup = await clickConnect(page);
    await popup.close();
    await waitForActivity(page, 'pingone-connect-close');
    expect(await elementState(page)).toBe('idle');
    const again = await clickConnect(page);
    await signIn(again);
    await waitForActivity(page, 'pingone-connect-success');
  });

  it('reports popup_blocked when the browser blocks the popup, and a retry works', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    await clickWithoutUserActivation(page);
    await waitForActivity(page, 'pingone-connect-error: popup_blocked');
    expect(context.pages()).toHaveLength(1);
    const popup = await clickConnect(page);
    await signIn(popup);
    await waitForActivity(page, 'pingone-connect-success');
  });

  it('shows session_expired for an expired session token, and nothing hangs', async () => {
    const page = await openConnectableApp(context, demo.appUrl);
    // The session is minted now; the server's clock has moved past its expiry when it is used.
    await page.route('**/connect-session', async (route) => {
      const response = await route.fetch();
      clockOffsetMs = 60 * 60 * 1000;
      await route.fulfill({ response });
    });
    try {
      const popup = await clickConnect(page);
      await waitForActivity(page, 'pingone-connect-error: session_expired');
      await expect.poll(() => popup.isClosed()).toBe(true);
      expect(await elementState(page)).toBe('error');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('finishes through attempt polling when the sign-in page severs the popup with COOP', async () => {
    demo.emulator!.faults.coopOnSignIn = true;
    try {
      const page = await openConnectableApp(context, demo.appUrl);
      const popup = await clickConnect(page);
      await signIn(popup);
      await waitForActivity(page, 'pingone-connect-success');
      expect(await elementState(page)).toBe('connected');
    } finally {
      demo.emulator!.faults.coopOnSignIn = false;
    }
  });

  it('cannot start a flow from an origin outside ALLOWED_ORIGINS, and gets no result message', async () => {
    // The same app served under another origin (localhost instead of 127.0.0.1).
    const otherOrigin = demo.appUrl.replace('127.0.0.1', 'localhost');
    await context.addInitScript(() => {
      const received: unknown[] = [];
      Object.assign(window, { receivedMessages: received });
      window.addEventListener('message', (event) => received.push(event.data));
    });
    const page = await openConnectableApp(context, otherOrigin);
    const popup = await clickConnect(page);
    await expect
      .poll(() => popup.locator('body').innerText())
      .toContain('This origin is not allowed');
    await screenshot(popup, 'forbidden-origin-popup');
    await popup.close();
    await waitForActivity(page, 'pingone-connect-close');
    expect(
      await page.evaluate(
        () => (window as unknown as { receivedMessages: unknown[] }).receivedMessages,
      ),
    ).toEqual([]);
    expect(
      await page.locator('#log li strong', { hasText: 'pingone-connect-success' }).count(),
    ).toBe(0);
  });
});

describe('the sample app page', () => {
  it('has no accessibility violations (axe), in the light and the dark theme', async () => {
    const page = await openApp(context, demo.appUrl);
    await page.addScriptTag({ path: require.resolve('axe-core') });
    const violations = () =>
      page.evaluate(async () => {
        const { violations } = await (
          window as unknown as { axe: typeof import('axe-core') }
        ).axe.run();
        return violations.map(({ id, nodes }) => `${id}: ${nodes.map((n) => n.target).join(', ')}`);
      });
    expect(await violations()).toEqual([]);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await violations()).toEqual([]);
    await screenshot(page, 'dark-theme');
  });
});

describe('after the run', () => {
  it('the server and sample app logs contain no session token, code, token or secret', async () => {
    const { data } = await demo.client.listConnections();
    for (const { id } of data) {
      const { credentials } = await demo.client.getConnection(id);
      for (const token of [
        credentials.access_token,
        credentials.refresh_token,
        credentials.id_token,
      ]) {
        if (token) secrets.add(token);
      }
    }
    const { emulatorClientSecrets, ...keys } = demo.keys;
    for (const key of [...Object.values(keys), ...Object.values(emulatorClientSecrets)]) {
      secrets.add(key);
    }
    expect(secrets.size).toBeGreaterThan(10);
    expect(serverLog.length).toBeGreaterThan(20);
    const leaks = [...secrets].filter((secret) => serverLog.some((line) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });
});
