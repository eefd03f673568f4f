import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

export const DEMO_USER = { username: 'demo', password: 'demo-password' };

/** The sample app's page, ready: configuration loaded and the element defined. */
export async function openApp(context: BrowserContext, appUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
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
    user = DEMO_USER,
  }: { decision?: 'Allow' | 'Deny'; user?: typeof DEMO_USER } = {},
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
