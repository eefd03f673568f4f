import { expect } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { loopbackOnly, recordTraffic, screenshot, type Traffic } from './browser.js';
import type { CustomerId } from '../src/customers.js';
import { EMULATED_TENANTS } from '../src/emulated-tenants.js';

/** Who signs in on a customer's emulated PingOne. */
export const userOf = (customer: CustomerId) => {
  const { username, password } = EMULATED_TENANTS[customer].user;
  return { username, password };
};

/** The sample app's page as a customer's admin sees it, ready: config loaded, element defined. */
export async function openApp(
  context: BrowserContext,
  appUrl: string,
  customer: CustomerId = 'acme',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${appUrl}/?customer=${customer}`);
  await page.waitForSelector(`body[data-ready="true"][data-customer="${customer}"]`);
  return page;
}

/** Switches the page to another customer with the header's switcher. */
export async function switchCustomer(page: Page, customer: CustomerId): Promise<void> {
  await page.getByLabel('Customer').selectOption(customer);
  await page.waitForSelector(`body[data-customer="${customer}"]`);
}

export const pingOneStatus = (page: Page) => page.locator('#pingone-status').innerText();

/** Saves the "Your PingOne" panel as it is filled in (or with `clientSecret`). */
export async function savePingOne(page: Page, clientSecret?: string): Promise<void> {
  if (clientSecret !== undefined) await page.getByLabel('Client secret').fill(clientSecret);
  await page.getByRole('button', { name: 'Save and check' }).click();
  await expect
    .poll(() => page.locator('#save-status').innerText())
    .not.toBe('Checking with PingOne…');
}

/**
 * Sets up the shown customer's PingOne from its settings panel, pre-filled with its emulated
 * application, unless it is set up already: the Connect button works only afterwards.
 */
export async function setUpPingOne(page: Page): Promise<void> {
  if ((await pingOneStatus(page)) === 'Set up') return;
  await savePingOne(page);
  // The status pill follows the saved settings, which the page reads once the save answered.
  await expect.poll(() => pingOneStatus(page)).toBe('Set up');
}

/** The app's page with the customer's PingOne set up: ready to connect. */
export async function openConnectableApp(
  context: BrowserContext,
  appUrl: string,
  customer: CustomerId = 'acme',
): Promise<Page> {
  const page = await openApp(context, appUrl, customer);
  await setUpPingOne(page);
  return page;
}

/** The preflight checks the panel lists: name, passed or not, and PingOne's message. */
export async function preflightChecks(page: Page) {
  return page.locator('#preflight li').evaluateAll((items) =>
    items.map((item) => ({
      name: (item as HTMLElement).dataset.check!,
      ok: (item as HTMLElement).dataset.ok === 'true',
      mark: item.querySelector('.check-mark')!.textContent,
      message: item.querySelector('.muted')!.textContent,
    })),
  );
}

export const connectButton = (page: Page) => page.locator('pingone-connect').getByRole('button');

/** Clicks the element as a user does and returns the sign-in popup it opened. */
export async function clickConnect(page: Page): Promise<Page> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), connectButton(page).click()]);
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}

/**
 * Signs in on the emulator's page and answers its consent page: in the popup, or in the page
 * itself in redirect mode. `tap` presses the buttons as a finger does, on a touch screen.
 */
export async function signIn(
  popup: Page,
  {
    decision = 'Allow',
    user = userOf('acme'),
    tap = false,
  }: {
    decision?: 'Allow' | 'Deny';
    user?: { username: string; password: string };
    tap?: boolean;
  } = {},
): Promise<void> {
  await popup.getByLabel('Username').fill(user.username);
  await popup.getByLabel('Password').fill(user.password);
  const press = (name: string) => {
    const button = popup.getByRole('button', { name });
    return tap ? button.tap() : button.click();
  };
  await press('Sign on');
  await press(decision);
}

/** Waits until the page is the sample app again, ready, after it came back from PingOne. */
export async function waitForApp(
  page: Page,
  appUrl: string,
  customer: CustomerId = 'acme',
): Promise<void> {
  await page.waitForURL((url) => url.origin === appUrl);
  await page.waitForSelector(`body[data-ready="true"][data-customer="${customer}"]`);
}

/** What the element told the page, in order, across the page's loads in this tab. */
export interface ElementRecord {
  /** Which load of the tab's pages of this origin it happened on, from 1. */
  load: number;
  what: 'start' | 'success' | 'error' | 'close' | 'connect() resolved' | 'connect() rejected';
  detail: Record<string, unknown>;
}

/**
 * Records the element's events on every page of the context, and the outcome of `connect()`
 * called when an attempt starts (which returns that attempt's promise), in `sessionStorage`:
 * the record outlives the page leaving for PingOne and coming back.
 */
export async function recordElement(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const KEY = 'e2e:element';
    const load = Number(sessionStorage.getItem(`${KEY}:loads`) ?? 0) + 1;
    sessionStorage.setItem(`${KEY}:loads`, String(load));
    const push = (what: string, detail: unknown) => {
      const list = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown[];
      list.push({ load, what, detail });
      sessionStorage.setItem(KEY, JSON.stringify(list));
    };
    for (const what of ['start', 'success', 'error', 'close']) {
      document.addEventListener(`pingone-connect-${what}`, (event) => {
        push(what, (event as CustomEvent).detail);
      });
    }
    document.addEventListener('pingone-connect-start', (event) => {
      const element = event.target as HTMLElement & { connect(): Promise<unknown> };
      element.connect().then(
        (result) => push('connect() resolved', result),
        (error: { code?: string }) => push('connect() rejected', { code: error.code }),
      );
    });
  });
}

export async function elementRecord(page: Page): Promise<ElementRecord[]> {
  return page.evaluate(
    () => JSON.parse(sessionStorage.getItem('e2e:element') ?? '[]') as ElementRecord[],
  );
}

/** The titles in the page's activity log, oldest first. */
export async function activity(page: Page): Promise<string[]> {
  const titles = await page.locator('#log li strong').allInnerTexts();
  return titles.reverse();
}

/** Waits until the activity log shows an entry whose title starts with `title`. */
export async function waitForActivity(page: Page, title: string): Promise<void> {
  await page.locator('#log li strong', { hasText: title }).first().waitFor();
}

/** The element's reflected state attribute. */
export const elementState = (page: Page) => page.locator('pingone-connect').getAttribute('state');

/** Ids of the connections the page lists. */
export async function listedConnections(page: Page): Promise<string[]> {
  return page
    .locator('.connection')
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.connectionId!));
}

export async function expectListed(page: Page, count: number): Promise<string[]> {
  await expect.poll(() => listedConnections(page)).toHaveLength(count);
  return listedConnections(page);
}

/**
 * Clicks the element's button from script with no user activation, as a page does when it
 * calls `connect()` outside a click: Chromium's popup blocker then refuses `window.open`.
 * Playwright's own calls grant a transient activation, so this first waits for it to lapse.
 */
export async function clickWithoutUserActivation(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const evaluate = async (expression: string) => {
    const { result } = await cdp.send('Runtime.evaluate', {
      expression,
      userGesture: false,
      returnByValue: true,
    });
    return result.value as unknown;
  };
  await expect
    .poll(() => evaluate('navigator.userActivation.isActive'), { timeout: 15_000 })
    .toBe(false);
  await evaluate(
    `document.querySelector('pingone-connect').shadowRoot.querySelector('button').click()`,
  );
  await cdp.detach();
}

/** A test's browser context, with what it recorded. */
export interface WatchedContext {
  context: BrowserContext;
  offLoopback: string[];
  traffic: Traffic;
  /** The session tokens the sample backend handed to the page, in order. */
  tokens: string[];
}

/**
 * A context whose every request is recorded, whose element's events are recorded, and whose
 * session tokens are collected, to look for in URLs and `Referer` headers afterwards.
 */
export async function openWatchedContext(
  browser: Browser,
  options: BrowserContextOptions = { viewport: { width: 1280, height: 900 } },
): Promise<WatchedContext> {
  const context = await browser.newContext(options);
  const tokens: string[] = [];
  // Read on the way through: in redirect mode the page leaves for PingOne right after the
  // token arrives, before a response event could read its body.
  await context.route('**/connect-session', async (route) => {
    const response = await route.fetch();
    if (response.ok()) tokens.push(((await response.json()) as { token: string }).token);
    await route.fulfill({ response });
  });
  await recordElement(context);
  return { context, offLoopback: loopbackOnly(context), traffic: recordTraffic(context), tokens };
}

/**
 * Screenshots the context's first page under the test's name, closes the context, and checks
 * what every test must leave true: nothing left loopback, and no session token (nor any other
 * `secrets`) was in a URL or a `Referer`.
 */
export async function closeWatchedContext(
  { context, offLoopback, traffic, tokens }: WatchedContext,
  testName: string,
  secrets: readonly string[] = [],
): Promise<void> {
  const page = context.pages()[0];
  if (page) await screenshot(page, testName.replace(/\W+/g, '-'));
  await context.close();
  expect(offLoopback).toEqual([]);
  for (const secret of [...tokens, ...secrets]) expect(await traffic.exposing(secret)).toEqual([]);
}
