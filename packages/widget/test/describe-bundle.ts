// Tests of a shipped browser bundle (dist/browser/*, made by `pnpm run build`): the build
// rewrites the element's templates and minifies everything, and only these tests run what it
// produced. A page can define the tag once, so each bundle has its own test file.
import { expect, fixture, fixtureSync, html, nextFrame, oneEvent } from '@open-wc/testing';
import type { PingOneConnect } from '../src/pingone-connect.js';
import {
  answerAttempt,
  buttonOf,
  connectElement,
  gateChunk,
  postedForm,
  recordWindowOpen,
  resultPageUrl,
  server,
  startAttempt,
  successMessage,
  textOf,
} from './support.js';

const expected = {
  connection_id: 'conn_01J9ZQ4K8M',
  end_user_id: 'user-42',
  scopes: ['openid', 'profile', 'p1:read:user'],
};

/** Loads `dist/browser/{file}` and runs the element through it. */
export function describeBundle(file: string): void {
  describe(`the ${file} bundle`, () => {
    const calls = recordWindowOpen();
    let bundle: Record<string, unknown>;

    before(async () => {
      // A path the type checker does not resolve: the bundle is plain JavaScript.
      const url = `/dist/browser/${file}`;
      bundle = (await import(url)) as Record<string, unknown>;
    });

    it('registers <pingone-connect> and exports the element, its events and ConnectError', () => {
      expect(customElements.get('pingone-connect')).to.equal(bundle.PingOneConnect);
      expect(Object.keys(bundle).sort()).to.deep.equal([
        'ConnectError',
        'PingOneConnect',
        'PingOneConnectCloseEvent',
        'PingOneConnectErrorEvent',
        'PingOneConnectStartEvent',
        'PingOneConnectSuccessEvent',
      ]);
    });

    it('renders the minified template and stylesheet', async () => {
      const element = await fixture<PingOneConnect>(
        html`<pingone-connect server=${server} lang="de"></pingone-connect>`,
      );
      const button = buttonOf(element);
      expect(button.getAttribute('part')).to.equal('button');
      expect(button.getAttribute('aria-describedby')).to.equal('status');
      expect(button.textContent?.trim()).to.equal('PingOne verbinden');
      const status = element.shadowRoot?.querySelector('[part=status]');
      expect(status?.getAttribute('role')).to.equal('status');
      const style = getComputedStyle(button);
      // `inline-flex`, blockified: the button is a flex item of the host (unstyled: `block`).
      expect(style.display).to.equal('flex');
      expect(style.fontWeight).to.equal('600');
      expect(style.borderTopLeftRadius).to.equal('8px');
      expect(style.backgroundColor).to.equal('rgb(255, 255, 255)');
    });

    it('loads a language from the chunk beside it, English meanwhile', async () => {
      // A page of its own: no test before this one asked for Spanish.
      const chunk = new URL('/dist/browser/pingone-connect.es.js', location.href);
      await gateChunk(chunk.pathname, 'hold');
      try {
        const element = fixtureSync<PingOneConnect>(
          html`<pingone-connect server=${server} lang="es"></pingone-connect>`,
        );
        await nextFrame();
        expect(textOf(element)).to.equal('Connect PingOne');
        await gateChunk(chunk.pathname, 'open');
        await element.updateComplete;
        expect(textOf(element)).to.equal('Conectar PingOne');
        const requests = performance.getEntriesByType('resource').map(({ name }) => name);
        expect(requests).to.include(chunk.href);
      } finally {
        await gateChunk(chunk.pathname, 'open');
      }
    });

    it('loads the attempt flow from the chunk beside it, once the popup is open', async () => {
      // The first attempt of this page: no test before this one connected.
      const chunk = new URL('/dist/browser/pingone-connect.attempt-flow.js', location.href);
      await gateChunk(chunk.pathname, 'hold');
      try {
        const element = await connectElement();
        const started = oneEvent(element, 'pingone-connect-start');
        element.connect().catch(() => {});
        expect(calls).to.have.length(1);
        const { detail } = await started;
        await gateChunk(chunk.pathname, 'open');
        await postedForm(detail.attempt_id);
        const requests = performance.getEntriesByType('resource').map(({ name }) => name);
        expect(requests).to.include(chunk.href);
      } finally {
        await gateChunk(chunk.pathname, 'open');
      }
    });

    it('delivers the result the popup posts', async () => {
      const element = await connectElement();
      const attempt = await startAttempt(element, calls);
      const succeeded = oneEvent(element, 'pingone-connect-success');
      attempt.popup.location.href = resultPageUrl(successMessage(attempt.id));
      expect((await succeeded).detail).to.deep.equal(expected);
      expect(await attempt.result).to.deep.equal(expected);
      expect(element.getAttribute('state')).to.equal('connected');
    });

    it('asks the server once the popup closes without a message', async () => {
      // The bundle's own intervals: the popup is looked at every 500 ms.
      const element = await connectElement();
      const attempt = await startAttempt(element, calls);
      await answerAttempt(attempt.id, 200, { status: 'success', ...expected });
      const succeeded = oneEvent(element, 'pingone-connect-success');
      attempt.popup.close();
      expect((await succeeded).detail).to.deep.equal(expected);
    });
  });
}
