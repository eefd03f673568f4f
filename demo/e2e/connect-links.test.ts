import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS } from '../src/customers.js';
import { startDemo, type Demo } from '../src/start-demo.js';
import { docsScreenshot, launchBrowser, PHONE } from './browser.js';
import {
  clickConnect,
  closeWatchedContext,
  elementRecord,
  expectListed,
  openConnectableApp,
  openWatchedContext,
  signIn,
  waitForActivity,
  waitForApp,
  type WatchedContext,
} from './sample-app.js';

// Connect links through the whole demo (DESIGN §4.9): the customer's admin sends one from the
// admin panel, and whoever opens it connects on the server's hosted page, on a desktop or a
// phone. The page learns the outcome by webhook.

let demo: Demo;
let browser: Browser;
let runs: WatchedContext[] = [];
/** Every link the tests made: none may be in a `Referer`, nor in a URL but its own page's. */
const links: string[] = [];

beforeAll(async () => {
  demo = await startDemo({ ports: { app: 0, server: 0, emulator: 0 }, env: {} });
  browser = await launchBrowser();
  // Acme's PingOne, set up once through the panel's backend, with its emulated application.
  const api = `${demo.appUrl}/api/customers/acme/pingone`;
  const { suggested } = (await (await fetch(api)).json()) as { suggested: object };
  const saved = await fetch(api, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(suggested),
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function newRun(options?: BrowserContextOptions) {
  const run = await openWatchedContext(browser, options);
  runs.push(run);
  return run;
}

afterEach(async (test) => {
  for (const run of runs) {
    await closeWatchedContext(run, test.task.name);
    // The link's secret is in its own URL, and nowhere it could travel from there.
    const requests = await run.traffic.requests();
    for (const link of links) {
      expect(requests.filter(({ referer }) => referer?.includes(link.split('.').at(-1)!))).toEqual(
        [],
      );
    }
  }
  runs = [];
});

/** A link for Acme's admin, from the sample backend's action, as the panel's button gets it. */
async function mintLink(): Promise<string> {
  const response = await fetch(`${demo.appUrl}/api/customers/acme/connect-link`, {
    method: 'POST',
  });
  const { connect_link } = (await response.json()) as { connect_link: string };
  links.push(connect_link);
  return connect_link;
}

const LINK = /^http:\/\/127\.0\.0\.1:\d+\/connect\/links\/link_[0-9a-z]+\.[A-Za-z0-9_-]{43}$/;

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();

describe('sending a connect link from the admin panel', () => {
  it('shows the link, copies it, and opens it in a new tab that connects', async () => {
    const { context } = await newRun();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: demo.appUrl,
    });
    const page = await openConnectableApp(context, demo.appUrl);
    const [tab] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Send a connect link' }).click(),
    ]);
    await waitForActivity(page, 'Connect link sent');
    const link = await page.getByLabel('Connect link').inputValue();
    links.push(link);
    expect(link).toMatch(LINK);
    expect(link.startsWith(`${demo.serverUrl}/connect/links/`)).toBe(true);
    expect(await page.getByRole('link', { name: 'Open' }).getAttribute('href')).toBe(link);
    expect(await page.locator('#connect-link-note').innerText()).toBe(
      "Single use, valid for 24 hours: send it by e-mail or chat to whoever connects Acme's PingOne. Opened in a new tab; the outcome arrives here as a webhook.",
    );
    await page.evaluate(() => scrollTo(0, 0));
    await docsScreenshot(page, 'connect-link-sent');
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect
      .poll(() => page.locator('#connect-link-note').innerText())
      .toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // The new tab is the hosted page, with no handle on the admin's page.
    await tab.waitForURL(link);
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    expect(await heading(tab)).toBe('Connect PingOne');
    expect(await tab.locator('main p').first().innerText()).toBe(
      'Connect your PingOne account to Acme Analytics for Acme.',
    );

    await tab.getByRole('button', { name: 'Connect PingOne' }).click();
    await signIn(tab);
    await expect.poll(() => heading(tab)).toBe('PingOne connected');
    // The page learns it by webhook, and lists the connection.
    await waitForActivity(page, 'webhook connection.created');
    await expectListed(page, 1);
  });

  it('shows the hosted page in light, in dark and in German', async () => {
    const link = await mintLink();
    const looks = [
      { name: 'connect-link-light', options: { colorScheme: 'light' as const } },
      { name: 'connect-link-dark', options: { colorScheme: 'dark' as const } },
      { name: 'connect-link-de', options: { colorScheme: 'light' as const, locale: 'de-DE' } },
    ];
    const seen: Record<string, { lang: string; heading: string; button: string; bg: string }> = {};
    for (const { name, options } of looks) {
      const { context } = await newRun({ viewport: { width: 720, height: 520 }, ...options });
      const page = await context.newPage();
      await page.goto(link);
      seen[name] = {
        lang: (await page.locator('html').getAttribute('lang'))!,
        heading: await heading(page),
        button: await page.getByRole('button').innerText(),
        bg: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      };
      await docsScreenshot(page, name);
    }
    expect(seen).toEqual({
      'connect-link-light': {
        lang: 'en',
        heading: 'Connect PingOne',
        button: 'Connect PingOne',
        bg: 'rgb(246, 247, 249)',
      },
      'connect-link-dark': {
        lang: 'en',
        heading: 'Connect PingOne',
        button: 'Connect PingOne',
        bg: 'rgb(22, 24, 28)',
      },
      'connect-link-de': {
        lang: 'de',
        heading: 'PingOne verbinden',
        button: 'PingOne verbinden',
        bg: 'rgb(246, 247, 249)',
      },
    });
  });

  it('connects through a link opened on a phone (390×844, touch, iOS Safari), once', async () => {
    const link = await mintLink();
    const { context } = await newRun(PHONE);
    const phone = await context.newPage();
    await phone.goto(link);
    expect(await phone.evaluate(() => navigator.userAgent)).toContain('iPhone');
    expect(await phone.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await phone.getByRole('button', { name: 'Connect PingOne' }).tap();
    await signIn(phone, { tap: true });
    await expect.poll(() => heading(phone)).toBe('PingOne connected');
    const { data } = await demo.client.listConnections({
      endUserId: CUSTOMERS.acme.endUser.id,
      integrationId: 'acme',
    });
    expect(data).toHaveLength(1);

    // Single use: opened again, the link is gone.
    const again = await phone.goto(link);
    expect(again?.status()).toBe(410);
    expect(await heading(phone)).toBe('This link can no longer be used');
  });

  it('goes to return_url when PingOne answers at once; the backend reads the outcome with the link’s session', async () => {
    const { context } = await newRun();
    // Signed on and consented once: PingOne now answers the next authorization at once, and
    // the Connect button's post runs through to return_url in one redirect chain.
    const page = await openConnectableApp(context, demo.appUrl);
    await signIn(await clickConnect(page));
    await waitForActivity(page, 'pingone-connect-success');
    const [id] = await expectListed(page, 1);

    const { endUser, displayName } = CUSTOMERS.acme;
    const session = await demo.client.createConnectSession({
      endUser,
      organization: { id: 'acme', displayName },
      integrationId: 'acme',
      link: { returnUrl: `${demo.appUrl}/?customer=acme` },
    });
    links.push(session.connect_link!);
    const tab = await context.newPage();
    await tab.goto(session.connect_link!);
    await tab.getByRole('button', { name: 'Connect PingOne' }).click();
    await waitForApp(tab, demo.appUrl);
    const attemptId = new URL(tab.url()).searchParams.get('pingone_connect_attempt');
    expect(tab.url()).toBe(`${demo.appUrl}/?customer=acme&pingone_connect_attempt=${attemptId}`);
    // The attempt is the link's, not the element's: the element leaves it alone…
    expect(attemptId).toMatch(/^att_[0-9a-z]{26}$/);
    expect(await elementRecord(tab)).toEqual([]);
    // …and the backend that minted the link reads it with the link's session token.
    const status = await fetch(`${demo.serverUrl}/connect/attempts/${attemptId}`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(await status.json()).toMatchObject({ status: 'success', connection_id: id });
    await waitForActivity(page, 'webhook connection.updated');
  });
});
