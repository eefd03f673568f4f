// @ts-check
// Touch for the mobile run of the browser tests, through the Chrome DevTools Protocol of the
// test page: `touch-emulation` turns touch input on or off (as DevTools' device mode does,
// without the reload that puppeteer's `hasTouch` viewport option costs), and `tap` taps a point
// of the page as a finger would (touchstart, touchend, then the click the browser derives).

/**
 * What this plugin uses of puppeteer's page and CDP session (the Chrome launcher's).
 * @typedef {{ send(method: string, params?: object): Promise<unknown> }} Cdp
 * @typedef {{ createCDPSession(): Promise<Cdp> }} Page
 */

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function touchPlugin() {
  /** @type {WeakMap<Page, Cdp>} */
  const sessions = new WeakMap();
  /** @param {Page} page */
  async function cdp(page) {
    let session = sessions.get(page);
    if (!session) {
      session = await page.createCDPSession();
      sessions.set(page, session);
    }
    return session;
  }
  return {
    name: 'pingone-connect-touch',
    async executeCommand({ command, payload, session }) {
      if (command !== 'touch-emulation' && command !== 'tap') return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error('touch needs the Chrome launcher');
      const page = /** @type {{ getPage(id: string): Page }} */ (
        /** @type {unknown} */ (session.browser)
      ).getPage(session.id);
      const client = await cdp(page);
      const args = /** @type {{ enabled?: boolean, x?: number, y?: number }} */ (payload);
      if (command === 'touch-emulation') {
        await client.send('Emulation.setTouchEmulationEnabled', {
          enabled: Boolean(args.enabled),
          maxTouchPoints: 5,
        });
        return true;
      }
      const point = { x: Number(args.x), y: Number(args.y) };
      await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
      await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      return true;
    },
  };
}
