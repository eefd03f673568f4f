import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
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

/** What a screenshot takes: the whole page (default), or what a phone's screen shows. */
export interface ScreenshotOptions {
  fullPage?: boolean;
}

export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: ScreenshotOptions = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/**
 * A screenshot the README shows: written with the others, and over `docs/{name}.png` too when
 * `UPDATE_DOCS_SCREENSHOTS=1`, so that an ordinary run leaves the committed pictures alone.
 */
export async function docsScreenshot(
  page: Page,
  name: string,
  { fullPage = true }: ScreenshotOptions = {},
): Promise<void> {
  await screenshot(page, name, { fullPage });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage });
  }
}

/** Safari on an iPhone, as its requests name it. */
export const IOS_SAFARI_USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';

/** A phone: an iPhone-sized screen that is touched, not clicked, with Safari's user agent. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: IOS_SAFARI_USER_AGENT,
};

/** One request the browser made: its URL, its `Referer`, and its body for a form post. */
export interface RecordedRequest {
  url: string;
  method: string;
  referer: string | undefined;
  body: string | null;
}

/**
 * Records every request of the context (popups and new tabs included, every redirect hop its
 * own request) and every URL its frames show, `history.replaceState` included: where a secret
 * must never be.
 */
export function recordTraffic(context: BrowserContext) {
  const requests: Promise<RecordedRequest>[] = [];
  const frameUrls: string[] = [];
  const watch = (page: Page) =>
    page.on('framenavigated', (frame) => {
      frameUrls.push(frame.url());
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  context.on('request', (request) => {
    requests.push(
      // All headers, as the browser sent them: `headers()` leaves some out.
      request.allHeaders().then((headers) => ({
        url: request.url(),
        method: request.method(),
        referer: headers.referer,
        body: request.postData(),
      })),
    );
  });
  return {
    requests: () => Promise.all(requests),
    /** The requests and shown URLs that contain `secret`, in a URL or in a `Referer`. */
    async exposing(secret: string): Promise<string[]> {
      const found = (await this.requests()).flatMap(({ url, referer }) => [
        ...(url.includes(secret) ? [`request ${url}`] : []),
        ...(referer?.includes(secret) ? [`Referer ${referer} of ${url}`] : []),
      ]);
      return [...found, ...frameUrls.filter((url) => url.includes(secret)).map((u) => `page ${u}`)];
    },
  };
}

export type Traffic = ReturnType<typeof recordTraffic>;

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
