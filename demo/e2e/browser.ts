import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;

/**
 * Chromium with its popup blocker on: Playwright turns it off by default, and the element's
 * promise is precisely that it opens the popup inside the click, where a blocker allows it.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  });
}

/** The repository's docs/, where the README's pictures are. */
const DOCS = new URL('../../docs/', import.meta.url).pathname;

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A screenshot the README shows: written with the others, and over `docs/{name}.png` too when
 * `UPDATE_DOCS_SCREENSHOTS=1`, so that an ordinary run leaves the committed pictures alone.
 */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: true });
  }
}

/** Fails the test when the page or its popups make a request off loopback. */
export function loopbackOnly(context: BrowserContext): string[] {
  const offLoopback: string[] = [];
  context.on('request', (request) => {
    const { protocol, hostname } = new URL(request.url());
    if (protocol === 'data:' || protocol === 'about:' || protocol === 'blob:') return;
    if (hostname !== '127.0.0.1' && hostname !== 'localhost') offLoopback.push(request.url());
  });
  return offLoopback;
}

/** The repository's docs/dashboard/, where the dashboard's pictures are. */
const DASHBOARD_DOCS = new URL('../../docs/dashboard/', import.meta.url).pathname;

/**
 * A dashboard page's picture, in the run's screenshots and, with `UPDATE_DOCS_SCREENSHOTS=1`,
 * over `docs/dashboard/{name}.png`, which the READMEs show.
 */
export async function dashboardScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, `dashboard-${name}`);
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DASHBOARD_DOCS, { recursive: true });
    await page.screenshot({ path: join(DASHBOARD_DOCS, `${name}.png`), fullPage: true });
  }
}
