import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/start-demo.js';
import { docsScreenshot, launchBrowser, PHONE } from './browser.js';
import {
  clickWithoutUserActivation,
  closeWatchedContext,
  connectButton,
  elementRecord,
  elementState,
  expectListed,
  openConnectableApp,
  openWatchedContext,
  signIn,
  waitForActivity,
  waitForApp,
  type WatchedContext,
} from './sample-app.js';

// Redirect mode through the whole demo (DESIGN §4.9): the sample app's page itself goes to the
// emulator's sign-in and comes back, and the element on the page it comes back to reports.

let demo: Demo;
let browser: Browser;
let run: WatchedContext | undefined;

beforeAll(async () => {
  demo = await startDemo({ ports: { app: 0, server: 0, emulator: 0 }, env: {} });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function newRun(options?: BrowserContextOptions) {
  run = await openWatchedContext(browser, options);
  return run;
}

afterEach(async (test) => {
  if (run) await closeWatchedContext(run, test.task.name);
  run = undefined;
});

/** Turns redirect mode on with the panel's toggle; the page's URL remembers it. */
async function useRedirectMode(page: Page) {
  await page.getByLabel('Use redirect mode').check();
  expect(new URL(page.url()).searchParams.get('mode')).toBe('redirect');
  expect(await page.locator('pingone-connect').getAttribute('mode')).toBe('redirect');
}

/** Presses the element's button and waits for the page itself to be on PingOne's sign-in. */
async function leaveForSignIn(page: Page, press: () => Promise<void>) {
  await Promise.all([
    page.waitForURL((url) => url.origin === new URL(demo.emulator!.issuer).origin),
    press(),
  ]);
}

describe('redirect mode in the sample app', () => {
  it('connects in redirect mode: start and success events, connect() resolves, the connection appears', async () => {
    const { context } = await newRun();
    const page = await openConnectableApp(context, demo.appUrl);
    await useRedirectMode(page);
    await leaveForSignIn(page, () => connectButton(page).click());
    // The page itself left: no popup.
    expect(context.pages()).toEqual([page]);
    await signIn(page);
    await waitForApp(page, demo.appUrl);

    await waitForActivity(page, 'pingone-connect-success');
    expect(await elementState(page)).toBe('connected');
    const [id] = await expectListed(page, 1);
    expect(await demo.client.getConnection(id!)).toMatchObject({
      integration_id: 'acme',
      end_user: { id: 'acme-user-42' },
    });

    const record = await elementRecord(page);
    const departed = record.filter(({ load }) => load === 1);
    const returned = record.filter(({ load }) => load === 2);
    expect(departed.map(({ what }) => what)).toEqual(['start']);
    const attemptId = departed[0]!.detail.attempt_id;
    expect(attemptId).toMatch(/^[\w-]{22}$/);
    expect(returned).toEqual([
      { load: 2, what: 'start', detail: { attempt_id: attemptId, integration: 'acme' } },
      {
        load: 2,
        what: 'success',
        detail: expect.objectContaining({ connection_id: id, end_user_id: 'acme-user-42' }),
      },
      {
        load: 2,
        what: 'connect() resolved',
        detail: expect.objectContaining({ connection_id: id, end_user_id: 'acme-user-42' }),
      },
    ]);
    // The choice outlived the round trip to PingOne.
    expect(await page.getByLabel('Use redirect mode').isChecked()).toBe(true);
  });

  it('removes pingone_connect_attempt from the URL and keeps the page’s own parameters', async () => {
    const { context, traffic } = await newRun();
    const page = await openConnectableApp(context, demo.appUrl);
    await useRedirectMode(page);
    await leaveForSignIn(page, () => connectButton(page).click());
    await signIn(page);
    await waitForApp(page, demo.appUrl);
    await waitForActivity(page, 'pingone-connect-success');

    // The server sent the browser back with the attempt id as the only addition…
    const [departure] = await elementRecord(page);
    const attemptId = departure!.detail.attempt_id as string;
    const returnedTo = `${demo.appUrl}/?customer=acme&mode=redirect&pingone_connect_attempt=${attemptId}`;
    const requested = (await traffic.requests()).map(({ url }) => url);
    expect(requested).toContain(returnedTo);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation')[0]!.name)).toBe(
      returnedTo,
    );
    // …and the element took it out again, the page's own parameters left as they were.
    expect(page.url()).toBe(`${demo.appUrl}/?customer=acme&mode=redirect`);
  });

  it('falls back to redirect mode when the browser blocks the popup (fallback="redirect")', async () => {
    const { context } = await newRun();
    const page = await openConnectableApp(context, demo.appUrl);
    await page.locator('pingone-connect').evaluate((element) => {
      element.setAttribute('fallback', 'redirect');
    });
    // A click without user activation: Chromium's popup blocker refuses the popup.
    await leaveForSignIn(page, () => clickWithoutUserActivation(page));
    expect(context.pages()).toEqual([page]);
    await signIn(page);
    await waitForApp(page, demo.appUrl);
    await waitForActivity(page, 'pingone-connect-success');
    expect(await elementState(page)).toBe('connected');
    await expectListed(page, 1);

    const record = await elementRecord(page);
    // No popup_blocked: the element left instead, and reported on the page it came back to.
    expect(record.map(({ load, what }) => `${load} ${what}`)).toEqual([
      '1 start',
      '2 start',
      '2 success',
      '2 connect() resolved',
    ]);
    expect(new URL(page.url()).searchParams.has('pingone_connect_attempt')).toBe(false);
  });

  it('puts the session token in no URL and no Referer header, only in the form posts', async () => {
    const { context, traffic, tokens } = await newRun();
    const page = await openConnectableApp(context, demo.appUrl);
    await useRedirectMode(page);
    await leaveForSignIn(page, () => connectButton(page).click());
    await signIn(page);
    await waitForApp(page, demo.appUrl);
    await waitForActivity(page, 'pingone-connect-success');

    // One token to leave with, one minted by tokenProvider on the page it came back to.
    expect(tokens).toHaveLength(2);
    const requests = await traffic.requests();
    const posted = requests.filter(
      ({ method, url }) => method === 'POST' && url.includes('/oauth/connect'),
    );
    expect(posted).toHaveLength(1);
    expect(new URLSearchParams(posted[0]!.body ?? '').get('session_token')).toBe(tokens[0]);
    // The browser did send Referer headers, and went through the sign-in and the callback.
    expect(requests.filter(({ referer }) => referer).length).toBeGreaterThan(3);
    expect(requests.some(({ url }) => url.includes('/oauth/callback?'))).toBe(true);
    for (const token of tokens) expect(await traffic.exposing(token)).toEqual([]);
  });
});

describe('redirect mode on a phone', () => {
  it('connects with taps on a 390×844 touch screen with an iOS Safari user agent', async () => {
    const { context } = await newRun(PHONE);
    const page = await openConnectableApp(context, demo.appUrl);
    expect(await page.evaluate(() => navigator.userAgent)).toContain('iPhone');
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await page.getByLabel('Use redirect mode').tap();
    expect(new URL(page.url()).searchParams.get('mode')).toBe('redirect');
    await leaveForSignIn(page, () => connectButton(page).tap());
    await signIn(page, { tap: true });
    await waitForApp(page, demo.appUrl);
    await waitForActivity(page, 'pingone-connect-success');
    expect(await elementState(page)).toBe('connected');
    await expectListed(page, 1);
    expect((await elementRecord(page)).map(({ load, what }) => `${load} ${what}`)).toEqual([
      '1 start',
      '2 start',
      '2 success',
      '2 connect() resolved',
    ]);
    // What the phone shows on coming back: the element connected, the connection below it.
    await page.evaluate(() => {
      document.getElementById('pingone-title')!.closest('section')!.scrollIntoView();
    });
    await docsScreenshot(page, 'redirect-mode-phone', { fullPage: false });
  });
});
