import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { freePort } from '@pingone-connect/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/start-demo.js';
import { dashboardScreenshot, launchBrowser, loopbackOnly } from './browser.js';
import { clickConnect, openConnectableApp, signIn, waitForActivity } from './sample-app.js';

// The operator's walk through the dashboard of a running demo: sign in, find the demo's
// connection, refresh it, add a tenant, redeliver a webhook, look at every page in both
// themes, disconnect. Each test goes on from the state the one before left.

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol, which the pages' CSP (scripts only under its nonce)
// rightly does not let a script tag do.
const AXE = readFileSync(require.resolve('axe-core'), 'utf8');

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let offLoopback: string[];
let connectionPath = '';

/** The webhook receiver: refuses with 500 until told to accept. */
let receiverStatus = 500;
let receiver: Server;

/** Every dashboard page's HTML as the browser got it, for the secret scan at the end. */
const seen = new Map<string, string>();
const secrets = new Set<string>();

async function remember(): Promise<void> {
  seen.set(`${seen.size} ${page.url()}`, await page.content());
}

async function goto(path: string): Promise<void> {
  await page.goto(`${demo.serverUrl}${path}`);
  await remember();
}

beforeAll(async () => {
  const port = await freePort();
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(receiverStatus).end());
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  demo = await startDemo({
    ports: { app: 0, server: 0, emulator: 0 },
    env: {},
    webhookUrl: `http://127.0.0.1:${port}/webhooks`,
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  offLoopback = loopbackOnly(context);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the operator dashboard', () => {
  it('signs in and finds the demo connection by the end user’s e-mail', async () => {
    // The demo's end user connects in the sample app first.
    const app = await openConnectableApp(context, demo.appUrl);
    const popup = await clickConnect(app);
    await signIn(popup);
    await waitForActivity(app, 'pingone-connect-success');
    await app.close();

    await page.goto(demo.dashboardUrl);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.getByLabel('Password').fill(demo.keys.dashboardPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByLabel('End user id or e-mail').fill('ada@acme.example');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(new URL(page.url()).searchParams.get('q')).toBe('ada@acme.example');
    await remember();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    await rows.first().getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Connection conn_/ }).waitFor();
    connectionPath = new URL(page.url()).pathname;
    expect(await page.getByText('ada@acme.example').first().isVisible()).toBe(true);
    await remember();
  });

  it('forces a refresh and shows its new log entry', async () => {
    const refreshed = page.locator('main a', { hasText: 'connection.refreshed' });
    const before = await refreshed.count();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByRole('status').filter({ hasText: 'Refreshed' }).waitFor();
    expect(await refreshed.count()).toBeGreaterThan(before);
    await remember();

    const id = connectionPath.split('/').at(-1)!;
    const { credentials } = await demo.client.getConnection(id);
    for (const token of [
      credentials.access_token,
      credentials.refresh_token,
      credentials.id_token,
    ]) {
      if (token) secrets.add(token);
    }
  });

  it('adds a tenant: a wrong secret fails its preflight, the right one passes', async () => {
    const globex = demo.tenants.globex.emulated!;
    await goto('/dashboard/tenants');
    await page.getByLabel('Id (slug)').fill('globex');
    await page.getByLabel('Display name').fill('Globex');
    await page.getByLabel('PingOne environment id').fill(globex.environmentId);
    await page.getByLabel('Auth base URL (loopback only)').fill(globex.authBaseUrl);
    await page.getByLabel('API base URL (loopback only)').fill(globex.apiBaseUrl);
    await page.getByLabel('Client id').fill(globex.clientId);
    await page.getByLabel('Client secret').fill('not-the-client-secret-at-all');
    await page.getByRole('button', { name: 'Check and add' }).click();

    const refusal = page.getByRole('alert');
    await refusal.getByRole('heading', { name: /^Not added/ }).waitFor();
    const checks = await refusal.getByRole('listitem').allInnerTexts();
    expect(checks.at(-1)).toMatch(/^failed client_credentials/);
    expect(checks.slice(0, -1).every((check) => check.startsWith('passed'))).toBe(true);
    await remember();
    await dashboardScreenshot(page, 'tenant-preflight-failed');

    // The form keeps what was typed, except the secret.
    expect(await page.getByLabel('Id (slug)').inputValue()).toBe('globex');
    expect(await page.getByLabel('Client secret').inputValue()).toBe('');
    await page.getByLabel('Client secret').fill(globex.clientSecret);
    await page.getByRole('button', { name: 'Check and add' }).click();
    const added = page.getByRole('status');
    await added
      .getByRole('heading', { name: 'Added globex: every preflight check passed' })
      .waitFor();
    expect(
      (await added.getByRole('listitem').allInnerTexts()).every((c) => c.startsWith('passed')),
    ).toBe(true);
    expect(await page.getByRole('cell', { name: 'globex', exact: true }).count()).toBe(1);
    await remember();
    await dashboardScreenshot(page, 'tenant-added');
    expect((await demo.client.listIntegrations()).data.map(({ id }) => id)).toContain('globex');
  });

  it('redelivers a failed webhook and shows the second attempt', async () => {
    await goto('/dashboard/webhooks?outcome=failed');
    const failed = page.locator('tbody tr', { hasText: 'connection.created' }).first();
    await failed.waitFor();
    expect(await failed.innerText()).toContain('500');
    receiverStatus = 204;
    await failed.getByRole('button', { name: /^Redeliver/ }).click();
    expect(new URL(page.url()).searchParams.get('redelivered')).toBe('1');
    // JavaScript or not, the new attempt shows when the page is loaded again.
    const redelivered = page.locator('tbody tr', { hasText: 'redelivery' });
    await expect
      .poll(async () => {
        await page.reload();
        return redelivered.count();
      })
      .toBeGreaterThan(0);
    expect(await redelivered.first().innerText()).toContain('delivered');
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await remember();
  });

  it('has no accessibility violations (axe) on any page, in the light and the dark theme', async () => {
    const logId = await page.evaluate(async (url) => {
      const answer = await fetch(url);
      const html = await answer.text();
      return /href="\/dashboard\/logs\/(log_[^"]+)"/.exec(html)?.[1];
    }, `${demo.serverUrl}/dashboard/logs`);
    expect(logId).toBeTruthy();
    const pages: [string, string][] = [
      ['overview', '/dashboard'],
      ['connections', '/dashboard/connections?q=ada%40acme.example'],
      ['connection', connectionPath],
      ['disconnect-confirm', `${connectionPath}/disconnect`],
      ['logs', '/dashboard/logs'],
      ['log-entry', `/dashboard/logs/${logId}`],
      ['tenants', '/dashboard/tenants'],
      ['tenant', '/dashboard/tenants/globex'],
      ['webhooks', '/dashboard/webhooks'],
    ];
    const violations = async () => {
      await page.evaluate(AXE);
      return page.evaluate(async () => {
        const { violations } = await (
          window as unknown as { axe: typeof import('axe-core') }
        ).axe.run();
        return violations.map(({ id, nodes }) => `${id}: ${nodes.map((n) => n.target).join(', ')}`);
      });
    };
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path] of pages) {
        await goto(path);
        expect(await violations(), `${name} (${scheme})`).toEqual([]);
        await dashboardScreenshot(page, `${name}-${scheme}`);
      }
      // The sign-in page, as someone signed out sees it.
      const signedOut = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1280, height: 900 },
      });
      const signIn = await signedOut.newPage();
      await signIn.goto(demo.dashboardUrl);
      await signIn.evaluate(AXE);
      const signInViolations = await signIn.evaluate(async () => {
        const { violations } = await (
          window as unknown as { axe: typeof import('axe-core') }
        ).axe.run();
        return violations.map(({ id }) => id);
      });
      expect(signInViolations, `sign-in (${scheme})`).toEqual([]);
      seen.set(`sign-in ${scheme}`, await signIn.content());
      await dashboardScreenshot(signIn, `sign-in-${scheme}`);
      await signedOut.close();
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the operations log’s live tail shows a new entry without reloading', async () => {
    await goto('/dashboard/logs');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const created = page.locator('#log-rows tr', { hasText: 'session.created' });
    const before = await created.count();
    await demo.client.createConnectSession({ endUser: { id: 'tail-user' }, integrationId: 'acme' });
    await expect.poll(() => created.count(), { timeout: 10_000 }).toBe(before + 1);
    await remember();
  });

  it('disconnects and shows what PingOne revoked and what it does not let us revoke', async () => {
    await goto(connectionPath);
    await page.getByRole('link', { name: 'Disconnect…' }).click();
    await page.getByRole('heading', { level: 1, name: 'Disconnect this connection?' }).waitFor();
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Disconnected' }).waitFor();
    const result = await page.locator('#revocation').innerText();
    expect(result).toMatch(/deleted\s+true/);
    // The demo's grant is for PingOne's own API (p1:), which /as/revoke does not end.
    expect(result).toMatch(/not_revocable\s+.*access_token/);
    await remember();
    await dashboardScreenshot(page, 'disconnected');
    expect((await demo.client.listConnections()).data).toEqual([]);
  });

  it('no page carried the session cookie, a key, a client secret or a token', async () => {
    const cookies = await context.cookies(demo.dashboardUrl);
    const session = cookies.find((cookie) => cookie.name === 'pingone_connect_dashboard');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    secrets.add(session!.value);
    const { emulatorClientSecrets, ...keys } = demo.keys;
    for (const key of [...Object.values(keys), ...Object.values(emulatorClientSecrets)]) {
      secrets.add(key);
    }
    expect(seen.size).toBeGreaterThan(25);
    for (const [url, html] of seen) {
      for (const secret of secrets) expect(html.includes(secret), url).toBe(false);
    }
    expect(offLoopback).toEqual([]);
  });
});
