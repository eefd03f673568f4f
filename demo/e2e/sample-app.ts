import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
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
  // The page says "saved" before it has read the settings back to show them.
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

/** Signs in on the emulator's page and answers its consent page. */
export async function signIn(
  popup: Page,
  {
    decision = 'Allow',
    user = userOf('acme'),
  }: { decision?: 'Allow' | 'Deny'; user?: { username: string; password: string } } = {},
): Promise<void> {
  await popup.getByLabel('Username').fill(user.username);
  await popup.getByLabel('Password').fill(user.password);
  await popup.getByRole('button', { name: 'Sign on' }).click();
  await popup.getByRole('button', { name: decision }).click();
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
