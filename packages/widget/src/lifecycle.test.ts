import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import {
  buttonOf,
  closedAttempt,
  connectElement,
  countSleeps,
  recordEvents,
  recordWindowOpen,
  rejectionOf,
  server,
  startAttempt,
  useFastTiming,
} from '../test/support.js';

describe('cancel() and disconnecting', () => {
  const calls = recordWindowOpen();
  const sleeps = countSleeps();
  useFastTiming();

  /** The `message` listeners added to window while a test runs, with their options. */
  const messageListeners: Array<AddEventListenerOptions | boolean | undefined> = [];
  const addEventListener = window.addEventListener;
  beforeEach(() => {
    messageListeners.length = 0;
    window.addEventListener = function (
      this: Window,
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: AddEventListenerOptions | boolean,
    ) {
      if (type === 'message') messageListeners.push(options);
      addEventListener.call(this, type, listener, options);
    } as typeof window.addEventListener;
  });
  afterEach(() => {
    window.addEventListener = addEventListener;
  });

  /** True when every `message` listener the element added is gone (its signal aborted). */
  function messageListenersRemoved(): boolean {
    return messageListeners.every(
      (options) => typeof options === 'object' && options.signal?.aborted === true,
    );
  }

  it('cancel() closes the popup, reports close and rejects connect() with popup_closed', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const events = recordEvents(element);
    element.cancel();

    expect(attempt.popup.closed).to.equal(true);
    expect(element.state).to.equal('idle');
    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-close']);
    expect(await rejectionOf(attempt.result)).to.include({
      name: 'ConnectError',
      code: 'popup_closed',
    });
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
    expect(messageListenersRemoved()).to.equal(true);
  });

  it('cancel() does nothing when nothing is running', async () => {
    const element = await connectElement();
    const events = recordEvents(element);
    element.cancel();
    expect(events).to.have.length(0);
    expect(element.state).to.equal('idle');
  });

  it('disconnecting while the popup is open closes it and leaves no listener or timer', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    expect(sleeps.pending).to.equal(1);
    expect(messageListeners).to.have.length(1);

    element.remove();
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
    expect(messageListenersRemoved()).to.equal(true);
    expect(attempt.popup.closed).to.equal(true);
    expect(await rejectionOf(attempt.result)).to.include({ code: 'popup_closed' });
  });

  it('disconnecting while it listens for a late result leaves no listener or timer', async () => {
    const { element, attempt } = await closedAttempt(calls);
    expect(sleeps.pending).to.equal(1);

    element.remove();
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
    expect(messageListenersRemoved()).to.equal(true);
  });

  it('a new click supersedes an attempt still listening for a late result', async () => {
    const element = await connectElement();
    const first = await startAttempt(element, calls);
    const closed = oneEvent(element, 'pingone-connect-close');
    first.popup.close();
    await closed;

    const second = await startAttempt(element, calls);
    expect(second.id).not.to.equal(first.id);
    expect(calls).to.have.length(2);
    expect(messageListeners[0]).to.have.nested.property('signal.aborted', true);
    expect(element.state).to.equal('connecting');
  });
});

describe('a blocked popup', () => {
  /**
   * An element inside a sandboxed frame without `allow-popups`: there the browser really
   * refuses `window.open` and returns null, as a popup blocker does.
   */
  async function elementInSandbox(): Promise<{ element: PingOneConnect; opened: () => number }> {
    const frame = await fixture<HTMLIFrameElement>(
      html`<iframe
        sandbox="allow-scripts allow-same-origin"
        srcdoc=${`<script type="module" src="/src/define.ts"></script>
        <pingone-connect server="${server}" session-token="t"></pingone-connect>`}
      ></iframe>`,
    );
    const frameWindow = frame.contentWindow as (Window & typeof globalThis) | null;
    if (!frameWindow) throw new Error('no frame window');
    if (frameWindow.document.readyState !== 'complete') await oneEvent(frame, 'load');
    await frameWindow.customElements.whenDefined('pingone-connect');
    const element = frameWindow.document.querySelector('pingone-connect');
    if (!element) throw new Error('no element in the frame');
    await element.updateComplete;
    let opened = 0;
    const realOpen = frameWindow.open;
    frameWindow.open = (...args) => {
      opened += 1;
      return realOpen.apply(frameWindow, args);
    };
    return { element, opened: () => opened };
  }

  it('reports popup_blocked, and the next click tries again', async () => {
    const { element, opened } = await elementInSandbox();
    const errors: unknown[] = [];
    element.addEventListener('pingone-connect-error', (event) => errors.push(event.detail));

    const result = element.connect();
    expect(await rejectionOf(result)).to.include({ name: 'ConnectError', code: 'popup_blocked' });
    expect(errors).to.deep.equal([
      { code: 'popup_blocked', message: 'The browser blocked the popup.' },
    ]);
    expect(element.state).to.equal('error');
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part=status]')?.textContent).to.equal(
      'Pop-up blocked. Allow pop-ups and try again.',
    );

    buttonOf(element).click();
    expect(opened()).to.equal(2);
    expect(errors).to.have.length(2);
  });
});
