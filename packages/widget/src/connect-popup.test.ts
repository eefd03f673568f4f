import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import {
  answerAttempt,
  buttonOf,
  connectElement,
  pollsAfter,
  postedForm,
  recordEvents,
  recordWindowOpen,
  rejectionOf,
  server,
  sessionToken,
  startAttempt,
  useFastTiming,
} from '../test/support.js';

describe('opening the popup', () => {
  const calls = recordWindowOpen();
  useFastTiming();

  it('calls window.open synchronously inside the click dispatch, centred, 500×680 by default', async () => {
    const element = await connectElement();
    buttonOf(element).click();
    // No await since the click: a popup blocker would refuse anything later.
    expect(calls).to.have.length(1);
    const [call] = calls;
    expect(call?.url).to.equal('about:blank');
    expect(call?.name).to.match(/^pingone-connect-[A-Za-z0-9_-]{22}$/);
    const left = Math.round(screenX + (outerWidth - 500) / 2);
    const top = Math.round(screenY + (outerHeight - 680) / 2);
    expect(call?.features).to.equal(`popup,width=500,height=680,left=${left},top=${top}`);
    expect(call?.popup?.closed).to.equal(false);
    expect(element.state).to.equal('connecting');
  });

  it('posts session_token, attempt_id and origin into the popup as a form, never in a URL', async () => {
    const token = sessionToken();
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} session-token=${token}></pingone-connect>`,
    );
    const started = oneEvent(element, 'pingone-connect-start');
    buttonOf(element).click();
    const { detail } = await started;
    expect(detail.attempt_id).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(detail.integration).to.equal('pingone');
    expect(calls[0]?.name).to.equal(`pingone-connect-${detail.attempt_id}`);

    const post = await postedForm(detail.attempt_id);
    expect(post.url).to.equal(`/oauth/connect?attempt_id=${detail.attempt_id}`);
    expect(post.contentType).to.equal('application/x-www-form-urlencoded');
    expect(post.origin).to.equal(location.origin);
    expect(post.fields).to.deep.equal({
      session_token: token,
      attempt_id: detail.attempt_id,
      origin: location.origin,
    });
    // The form was only passing through the shadow root.
    expect(element.shadowRoot?.querySelector('form')).to.equal(null);
  });

  it('repeats the attempt id in the form action, under the server path; the token is in no URL', async () => {
    const submitted: { action: string; method: string; target: string }[] = [];
    let firstSubmit: () => void = () => {};
    const submittedOnce = new Promise<void>((resolve) => (firstSubmit = resolve));
    const realSubmit = HTMLFormElement.prototype.submit;
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      submitted.push({ action: this.action, method: this.method, target: this.target });
      firstSubmit();
      realSubmit.call(this);
    };
    try {
      const token = sessionToken();
      const element = await fixture<PingOneConnect>(
        html`<pingone-connect
          server="${server}/under/a/path"
          session-token=${token}
        ></pingone-connect>`,
      );
      const started = oneEvent(element, 'pingone-connect-start');
      element.connect().catch(() => {});
      const { attempt_id } = (await started).detail;
      // The form goes out once the token is in.
      await submittedOnce;
      expect(submitted).to.deep.equal([
        {
          action: `${server}/under/a/path/oauth/connect?attempt_id=${attempt_id}`,
          method: 'post',
          target: `pingone-connect-${attempt_id}`,
        },
      ]);

      // At the root, through the whole flow: the POST, and the polls once the popup closes.
      element.server = server;
      element.cancel();
      const attempt = await startAttempt(element, calls);
      const post = await postedForm(attempt.id);
      expect(post.url).to.equal(`/oauth/connect?attempt_id=${attempt.id}`);
      expect(post.fields.session_token).to.equal(token);
      const polls = await answerAttempt(attempt.id, 200, { status: 'pending' });
      attempt.popup.close();
      await pollsAfter(attempt.id, polls);
      const urls = [
        ...submitted.map(({ action }) => action),
        ...calls.map(({ url }) => String(url)),
        post.url,
        ...performance.getEntriesByType('resource').map(({ name }) => name),
      ];
      expect(urls.some((url) => url.includes(attempt.id))).to.equal(true);
      expect(urls.filter((url) => url.includes(token))).to.deep.equal([]);
    } finally {
      HTMLFormElement.prototype.submit = realSubmit;
    }
  });

  it('uses a fresh 128-bit attempt id on every attempt', async () => {
    const element = await connectElement();
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const started = oneEvent(element, 'pingone-connect-start');
      element.cancel();
      element.connect().catch(() => {});
      ids.add((await started).detail.attempt_id);
    }
    expect(ids.size).to.equal(3);
  });

  const sizes = [
    ['420', '600', 'width=420,height=600'],
    ['wide', '-1', 'width=500,height=680'],
  ];
  for (const [width, height, features] of sizes) {
    it(`opens a popup of ${features} for popup-width="${width}" popup-height="${height}"`, async () => {
      const element = await fixture<PingOneConnect>(
        html`<pingone-connect
          server=${server}
          session-token="t"
          popup-width=${width}
          popup-height=${height}
        ></pingone-connect>`,
      );
      buttonOf(element).click();
      expect(calls[0]?.features).to.match(new RegExp(`^popup,${features},`));
    });
  }

  it('with tokenProvider, opens the popup before the provider resolves, then posts its token', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server}></pingone-connect>`,
    );
    let provide!: (token: string) => void;
    let asked = 0;
    element.tokenProvider = () => {
      asked += 1;
      return new Promise((resolve) => (provide = resolve));
    };
    const started = oneEvent(element, 'pingone-connect-start');
    buttonOf(element).click();
    expect(calls).to.have.length(1);
    expect(asked).to.equal(1);
    expect(calls[0]?.popup?.closed).to.equal(false);

    const { detail } = await started;
    const token = sessionToken();
    provide(token);
    expect((await postedForm(detail.attempt_id)).fields.session_token).to.equal(token);
  });

  it('prefers tokenProvider over session-token', async () => {
    const element = await connectElement();
    const token = sessionToken();
    element.tokenProvider = () => Promise.resolve(token);
    const started = oneEvent(element, 'pingone-connect-start');
    buttonOf(element).click();
    const { detail } = await started;
    expect((await postedForm(detail.attempt_id)).fields.session_token).to.equal(token);
  });

  it('reports session_invalid and closes the popup when tokenProvider rejects', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server}></pingone-connect>`,
    );
    const failure = new Error('backend down');
    element.tokenProvider = () => Promise.reject(failure);
    const failed = oneEvent(element, 'pingone-connect-error');
    const result = element.connect();
    const { detail } = await failed;
    expect(detail).to.deep.equal({ code: 'session_invalid', message: 'tokenProvider failed.' });
    const error = await rejectionOf(result);
    expect(error).to.include({ name: 'ConnectError', code: 'session_invalid', cause: failure });
    expect(calls[0]?.popup?.closed).to.equal(true);
    expect(element.state).to.equal('error');
  });

  it('focuses the open popup on a second click instead of opening another', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server}></pingone-connect>`,
    );
    // The token stays pending, so the popup is still the same-origin about:blank page whose
    // focus() the test can watch.
    element.tokenProvider = () => new Promise(() => {});
    const first = element.connect();
    first.catch(() => {});
    const popup = calls[0]?.popup;
    if (!popup) throw new Error('no popup');
    let focused = 0;
    popup.focus = () => {
      focused += 1;
    };
    const events = recordEvents(element);

    buttonOf(element).click();
    expect(element.connect()).to.equal(first);
    expect(calls).to.have.length(1);
    expect(focused).to.equal(2);
    expect(events).to.have.length(0);
  });
});

describe('misuse', () => {
  const calls = recordWindowOpen();
  const errors: unknown[][] = [];
  const consoleError = console.error;
  beforeEach(() => {
    errors.length = 0;
    console.error = (...args: unknown[]) => errors.push(args);
  });
  afterEach(() => {
    console.error = consoleError;
  });

  it('reports a missing server on the console and in the error state, and opens nothing', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect session-token="t"></pingone-connect>`,
    );
    expect(element.state).to.equal('error');
    expect(errors).to.deep.equal([
      ['<pingone-connect>: set "server" to the URL of your pingone-connect server.'],
    ]);

    const error = await rejectionOf(element.connect());
    expect(error).to.be.instanceOf(TypeError);
    expect(calls).to.have.length(0);
    expect(element.getAttribute('state')).to.equal('error');
  });

  it('refuses a server that is not an http(s) URL', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server="javascript:alert(1)" session-token="t"></pingone-connect>`,
    );
    expect(element.state).to.equal('error');
    expect(errors).to.deep.equal([
      ['<pingone-connect>: "server" must be an http(s) URL, not "javascript:alert(1)".'],
    ]);
    buttonOf(element).click();
    expect(calls).to.have.length(0);
  });

  it('refuses a server that is not a URL at all', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server="connect.example.com"></pingone-connect>`,
    );
    expect(element.state).to.equal('error');
    expect(errors[0]?.[0]).to.contain('"server" must be an http(s) URL');
  });

  it('recovers once a valid server is set', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect session-token="t"></pingone-connect>`,
    );
    expect(element.state).to.equal('error');
    element.server = server;
    await element.updateComplete;
    expect(element.state).to.equal('idle');
  });

  it('reports a missing session token and tokenProvider at click time', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server}></pingone-connect>`,
    );
    expect(element.state).to.equal('idle');
    const error = await rejectionOf(element.connect());
    expect(error).to.be.instanceOf(TypeError);
    expect(errors).to.deep.equal([['<pingone-connect>: set "session-token" or tokenProvider.']]);
    expect(element.state).to.equal('error');
    expect(calls).to.have.length(0);
  });
});
