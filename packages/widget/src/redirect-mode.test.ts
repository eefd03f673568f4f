import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, setUserAgent, setViewport } from '@web/test-runner-commands';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import {
  answerAttempt,
  postedForm,
  pollsAfter,
  recordEvents,
  rejectionOf,
  server,
  sessionToken,
} from '../test/support.js';

/** The host app's page in a frame: a page that can leave for the server and come back. */
const HOST_PAGE = '/test/redirect-host.html?tab=keys&flag#section';

type FrameWindow = Window & typeof globalThis;

/** A frame on the host page; `sandbox` without `allow-popups` makes the browser refuse popups. */
async function hostFrame(sandbox?: string): Promise<HTMLIFrameElement> {
  const frame = await fixture<HTMLIFrameElement>(
    sandbox
      ? html`<iframe sandbox=${sandbox} src=${HOST_PAGE}></iframe>`
      : html`<iframe src=${HOST_PAGE}></iframe>`,
  );
  await oneEvent(frame, 'load');
  return frame;
}

function windowOf(frame: HTMLIFrameElement): FrameWindow {
  const frameWindow = frame.contentWindow as FrameWindow | null;
  if (!frameWindow) throw new Error('no frame window');
  return frameWindow;
}

/**
 * Puts an element with `attributes` on the frame's page, pointed at the fake server, and
 * records its events from before it is connected (it may take up an attempt at once).
 */
async function mount(
  frame: HTMLIFrameElement,
  attributes: Record<string, string>,
): Promise<{ element: PingOneConnect; events: Event[] }> {
  const frameWindow = windowOf(frame);
  await frameWindow.customElements.whenDefined('pingone-connect');
  const element = frameWindow.document.createElement('pingone-connect');
  element.setAttribute('server', server);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  const events = recordEvents(element);
  frameWindow.document.body.append(element);
  return { element, events };
}

/** An attempt that left the frame's page: its id, its session token and the form the server got. */
interface Departed {
  id: string;
  token: string;
  post: Awaited<ReturnType<typeof postedForm>>;
  events: Event[];
}

/** Clicks an element in redirect mode and waits until the frame is on the sign-in page. */
async function leave(
  frame: HTMLIFrameElement,
  attributes: Record<string, string> = { mode: 'redirect' },
): Promise<Departed> {
  const token = sessionToken();
  const { element, events } = await mount(frame, { ...attributes, 'session-token': token });
  await element.updateComplete;
  const started = oneEvent(element, 'pingone-connect-start');
  const signIn = oneEvent(frame, 'load');
  element.shadowRoot?.querySelector('button')?.click();
  const { detail } = await started;
  const post = await postedForm(detail.attempt_id);
  await signIn;
  return { id: detail.attempt_id, token, post, events };
}

/** Sends the frame through the server's callback, back to the host page, as PingOne would. */
async function comeBack(frame: HTMLIFrameElement, id: string): Promise<void> {
  const back = oneEvent(frame, 'load');
  frame.src = `${server}/oauth/callback?attempt_id=${id}`;
  await back;
}

const connection = {
  connection_id: 'conn_01J9ZQ4K8M',
  end_user_id: 'user-42',
  scopes: ['openid', 'profile', 'p1:read:user'],
};

describe('redirect mode', () => {
  it('leaves the page with the popup form, target _self and return_to, after start', async () => {
    const frame = await hostFrame();
    const hostUrl = windowOf(frame).location.href;
    const { id, token, post, events } = await leave(frame);

    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-start']);
    expect(post.url).to.equal(`/oauth/connect?attempt_id=${id}`);
    expect(post.contentType).to.equal('application/x-www-form-urlencoded');
    expect(post.fields).to.deep.equal({
      session_token: token,
      attempt_id: id,
      origin: location.origin,
      return_to: hostUrl,
    });
  });

  it('takes the attempt up on the way back: start, success, and the parameter removed', async () => {
    const frame = await hostFrame();
    const hostUrl = windowOf(frame).location.href;
    const { id, token } = await leave(frame);
    await answerAttempt(id, 200, { status: 'success', ...connection });
    await comeBack(frame, id);
    expect(windowOf(frame).location.search).to.contain(`pingone_connect_attempt=${id}`);

    const entries = windowOf(frame).history.length;
    const { element, events } = await mount(frame, { 'session-token': token });
    await oneEvent(element, 'pingone-connect-success');

    // Replaced, not pushed: Back does not return to the URL with the parameter.
    expect(windowOf(frame).history.length).to.equal(entries);
    expect(events.map((event) => [event.type, (event as CustomEvent).detail])).to.deep.equal([
      ['pingone-connect-start', { attempt_id: id, integration: 'pingone' }],
      ['pingone-connect-success', connection],
    ]);
    expect(element.state).to.equal('connected');
    // Other parameters, byte for byte, and the hash stay.
    expect(windowOf(frame).location.href).to.equal(hostUrl);
  });

  it('connect() on the page it came back to returns the outcome of that attempt', async () => {
    const frame = await hostFrame();
    const { id, token } = await leave(frame);
    await answerAttempt(id, 200, { status: 'success', ...connection });
    await comeBack(frame, id);
    const { element, events } = await mount(frame, { 'session-token': token });
    let opened = 0;
    windowOf(frame).open = () => {
      opened += 1;
      return null;
    };

    const first = element.connect();
    expect(element.connect()).to.equal(first);
    expect(await first).to.deep.equal(connection);
    expect(opened).to.equal(0);
    expect(events.map((event) => event.type)).to.deep.equal([
      'pingone-connect-start',
      'pingone-connect-success',
    ]);
  });

  it('waits for a token before it takes the attempt up, then asks tokenProvider', async () => {
    const frame = await hostFrame();
    const { id, token } = await leave(frame);
    await answerAttempt(id, 200, { status: 'success', ...connection });
    await comeBack(frame, id);
    const { element, events } = await mount(frame, {});
    await element.updateComplete;
    expect(events).to.have.length(0);
    expect(windowOf(frame).location.search).to.contain(`pingone_connect_attempt=${id}`);

    const succeeded = oneEvent(element, 'pingone-connect-success');
    element.tokenProvider = () => Promise.resolve(token);
    expect((await succeeded).detail).to.deep.equal(connection);
    expect(windowOf(frame).location.search).not.to.contain('pingone_connect_attempt');
  });

  it('leaves alone a pingone_connect_attempt that is not an attempt id', async () => {
    const frame = await hostFrame();
    const crafted = '../../__test/attempts/x';
    windowOf(frame).history.replaceState(null, '', `?pingone_connect_attempt=${crafted}`);
    const { element, events } = await mount(frame, { 'session-token': sessionToken() });
    await element.updateComplete;
    expect(events).to.have.length(0);
    expect(element.state).to.equal('idle');
    expect(windowOf(frame).location.search).to.equal(`?pingone_connect_attempt=${crafted}`);
  });

  it('only the element of the same integration takes the attempt up', async () => {
    const frame = await hostFrame();
    const { id, token } = await leave(frame, { mode: 'redirect', integration: 'crm' });
    await answerAttempt(id, 200, { status: 'success', ...connection });
    await comeBack(frame, id);

    const other = await mount(frame, { 'session-token': token });
    await other.element.updateComplete;
    const own = await mount(frame, { 'session-token': token, integration: 'crm' });
    await oneEvent(own.element, 'pingone-connect-success');
    expect(other.events).to.have.length(0);
    expect(windowOf(frame).location.search).not.to.contain('pingone_connect_attempt');
  });

  it('puts the session token in no URL, history entry or Referer', async () => {
    const frame = await hostFrame();
    const { id, token, post } = await leave(frame);
    await answerAttempt(id, 200, { status: 'success', ...connection });
    await comeBack(frame, id);
    const { element } = await mount(frame, { 'session-token': token });
    await oneEvent(element, 'pingone-connect-success');
    const frameWindow = windowOf(frame);
    const { callbackReferer } = (await postedForm(id)) as { callbackReferer?: string };

    const urls = [
      post.url,
      post.fields.return_to ?? '',
      frameWindow.location.href,
      ...frameWindow.navigation.entries().map((entry) => entry.url ?? ''),
    ];
    const referers = [
      (post as { referer?: string }).referer ?? '',
      callbackReferer ?? '',
      frameWindow.document.referrer,
    ];
    for (const value of [...urls, ...referers]) expect(value).not.to.contain(token);
    expect(urls.length).to.be.greaterThan(3);
  });

  it('does not take a malformed poll answer for success', async () => {
    const frame = await hostFrame();
    const { id, token } = await leave(frame);
    const before = await answerAttempt(id, 200, { status: 'success', connection_id: 'conn_1' });
    await comeBack(frame, id);
    const { element, events } = await mount(frame, { 'session-token': token });
    // Two polls got the malformed answer: the first one was read, and polling went on.
    await pollsAfter(id, before + 1);

    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-start']);
    expect(element.state).to.equal('connecting');
    element.cancel();
  });

  it('reports the error the server answers for the attempt that came back', async () => {
    const frame = await hostFrame();
    const { id, token } = await leave(frame);
    await answerAttempt(id, 200, {
      status: 'error',
      error: { code: 'access_denied', message: 'The user declined.' },
    });
    await comeBack(frame, id);
    const { element } = await mount(frame, { 'session-token': token });
    const error = await rejectionOf(element.connect());
    expect(error).to.include({ name: 'ConnectError', code: 'access_denied' });
    expect(element.state).to.equal('error');
  });

  it('fallback="redirect" leaves the page when the browser blocks the popup', async () => {
    const frame = await hostFrame('allow-scripts allow-same-origin allow-forms');
    const hostUrl = windowOf(frame).location.href;
    const { id, post, events } = await leave(frame, { fallback: 'redirect' });

    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-start']);
    expect(post.fields).to.include({ attempt_id: id, return_to: hostUrl });
  });
});

describe('redirect mode attributes', () => {
  const consoleError = console.error;
  const errors: unknown[][] = [];
  beforeEach(() => {
    errors.length = 0;
    console.error = (...args: unknown[]) => errors.push(args);
  });
  afterEach(() => {
    console.error = consoleError;
  });

  it('refuses a mode other than popup or redirect', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} session-token="t" mode="modal"></pingone-connect>`,
    );
    expect(element.state).to.equal('error');
    expect(errors).to.deep.equal([
      ['<pingone-connect>: "mode" must be "popup" or "redirect", not "modal".'],
    ]);
    expect(await rejectionOf(element.connect())).to.be.instanceOf(TypeError);
  });

  it('refuses a fallback other than redirect', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} session-token="t" fallback="popup"></pingone-connect>`,
    );
    expect(element.state).to.equal('error');
    expect(errors).to.deep.equal([
      ['<pingone-connect>: "fallback" must be "redirect", not "popup".'],
    ]);
    expect(await rejectionOf(element.connect())).to.be.instanceOf(TypeError);
  });
});

describe('redirect mode on a phone', () => {
  const IOS_SAFARI =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  const desktopAgent = navigator.userAgent;
  before(async () => {
    await setViewport({ width: 390, height: 844 });
    await setUserAgent(IOS_SAFARI);
    await executeServerCommand('touch-emulation', { enabled: true });
  });
  after(async () => {
    await executeServerCommand('touch-emulation', { enabled: false });
    await setUserAgent(desktopAgent);
    await setViewport({ width: 800, height: 600 });
  });

  it('connects with a tap on a 390×844 touch screen with an iOS Safari user agent', async () => {
    const frame = await hostFrame();
    frame.style.cssText = 'width: 390px; height: 600px; border: 0';
    const token = sessionToken();
    const { element, events } = await mount(frame, { mode: 'redirect', 'session-token': token });
    await element.updateComplete;
    const frameWindow = windowOf(frame);
    expect(frameWindow.navigator.userAgent).to.equal(IOS_SAFARI);
    expect(frameWindow.navigator.maxTouchPoints).to.be.greaterThan(0);

    const button = element.shadowRoot?.querySelector('button');
    if (!button) throw new Error('no button');
    const inner = button.getBoundingClientRect();
    const outer = frame.getBoundingClientRect();
    const touched = oneEvent(button, 'touchend');
    const started = oneEvent(element, 'pingone-connect-start');
    const signIn = oneEvent(frame, 'load');
    await executeServerCommand('tap', {
      x: outer.left + inner.left + inner.width / 2,
      y: outer.top + inner.top + inner.height / 2,
    });
    await touched;
    const { detail } = await started;
    const post = await postedForm(detail.attempt_id);
    await signIn;
    expect((post as { userAgent?: string }).userAgent).to.equal(IOS_SAFARI);

    await answerAttempt(detail.attempt_id, 200, { status: 'success', ...connection });
    await comeBack(frame, detail.attempt_id);
    const back = await mount(frame, { 'session-token': token });
    await oneEvent(back.element, 'pingone-connect-success');
    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-start']);
    expect(windowOf(frame).location.search).not.to.contain('pingone_connect_attempt');
  });
});
