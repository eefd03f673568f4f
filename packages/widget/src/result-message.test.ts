import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import {
  connectElement,
  failureMessage,
  nextMessage,
  otherOrigin,
  recordEvents,
  recordWindowOpen,
  rejectionOf,
  resultPageUrl,
  server,
  startAttempt,
  type StartedAttempt,
  successMessage,
  useFastTiming,
} from '../test/support.js';

describe('the result message', () => {
  const calls = recordWindowOpen();
  useFastTiming();

  it('delivers a success: event detail, connect() resolves, state connected, popup closed', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const succeeded = oneEvent(element, 'pingone-connect-success');
    attempt.popup.location.href = resultPageUrl(successMessage(attempt.id), { close: false });

    const event = await succeeded;
    const expected = {
      connection_id: 'conn_01J9ZQ4K8M',
      end_user_id: 'user-42',
      scopes: ['openid', 'profile', 'p1:read:user'],
    };
    expect(event.detail).to.deep.equal(expected);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(await attempt.result).to.deep.equal(expected);
    expect(element.state).to.equal('connected');
    expect(element.getAttribute('state')).to.equal('connected');
    // The element closes a result page that could not close itself.
    expect(attempt.popup.closed).to.equal(true);
  });

  it('delivers an error with its code and oauth_error; connect() rejects with a ConnectError', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const failed = oneEvent(element, 'pingone-connect-error');
    const error = {
      code: 'provider_error',
      message: 'PingOne refused the request.',
      oauth_error: { error: 'invalid_scope', error_description: 'The requested scope is invalid.' },
    };
    attempt.popup.location.href = resultPageUrl(failureMessage(attempt.id, error));

    expect((await failed).detail).to.deep.equal(error);
    const rejection = await rejectionOf(attempt.result);
    expect(rejection).to.include({
      name: 'ConnectError',
      code: 'provider_error',
      message: 'PingOne refused the request.',
    });
    expect(rejection).to.have.deep.property('oauth_error', error.oauth_error);
    expect(element.state).to.equal('error');
  });

  it('reports access_denied when the user declines', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const failed = oneEvent(element, 'pingone-connect-error');
    const error = { code: 'access_denied', message: 'The user declined.' };
    attempt.popup.location.href = resultPageUrl(failureMessage(attempt.id, error));
    expect((await failed).detail).to.deep.equal(error);
  });
});

describe('security invariant 5, the receive checks: messages the element ignores', () => {
  const calls = recordWindowOpen();
  useFastTiming();
  let element: PingOneConnect;
  let attempt: StartedAttempt;
  let events: Event[];

  beforeEach(async () => {
    element = await connectElement();
    attempt = await startAttempt(element, calls);
    events = recordEvents(element);
  });

  /** The ignored message left no trace; then a genuine result still gets through. */
  async function expectIgnoredThenStillListening(): Promise<void> {
    expect(events).to.have.length(0);
    expect(element.state).to.equal('connecting');
    const succeeded = oneEvent(element, 'pingone-connect-success');
    attempt.popup.location.href = resultPageUrl(successMessage(attempt.id));
    await succeeded;
  }

  /** Has the popup post `payload` and waits until this window received it (`seen`). */
  async function postFromPopup(
    payload: unknown,
    seen: (event: MessageEvent) => boolean,
    options: Parameters<typeof resultPageUrl>[1] = {},
  ): Promise<void> {
    const arrived = nextMessage(seen);
    attempt.popup.location.href = resultPageUrl(payload, { close: false, ...options });
    await arrived;
  }

  it('ignores a valid result from the popup at another origin', async () => {
    await postFromPopup(successMessage(attempt.id), (event) => event.origin === otherOrigin, {
      origin: otherOrigin,
    });
    await expectIgnoredThenStillListening();
  });

  it('ignores a valid result at the server origin from a window that is not the popup (an iframe)', async () => {
    const seen = nextMessage((event) => event.origin === server);
    const frame = await fixture<HTMLIFrameElement>(
      html`<iframe
        src=${resultPageUrl(successMessage(attempt.id), { to: 'parent', close: false })}
      ></iframe>`,
    );
    expect((await seen).source).to.equal(frame.contentWindow);
    await expectIgnoredThenStillListening();
  });

  it('ignores a result for another attempt_id', async () => {
    const message = { ...successMessage(attempt.id), attempt_id: 'someone-else' };
    await postFromPopup(message, (event) => event.data?.attempt_id === 'someone-else');
    await expectIgnoredThenStillListening();
  });

  it('ignores a result with an extra field', async () => {
    const message = { ...successMessage(attempt.id), access_token: 'leak' };
    await postFromPopup(message, (event) => event.data?.access_token === 'leak');
    await expectIgnoredThenStillListening();
  });

  it('ignores a failure with an unknown error code', async () => {
    const error = { code: 'teapot', message: 'x' };
    await postFromPopup(
      failureMessage(attempt.id, error),
      (event) => event.data?.error?.code === 'teapot',
    );
    await expectIgnoredThenStillListening();
  });

  it('ignores a message of another version', async () => {
    await postFromPopup({ ...successMessage(attempt.id), v: 2 }, (event) => event.data?.v === 2);
    await expectIgnoredThenStillListening();
  });

  it('ignores a string payload, even one holding a valid result as JSON', async () => {
    const text = JSON.stringify(successMessage(attempt.id));
    await postFromPopup(text, (event) => event.data === text, { as: 'string' });
    await expectIgnoredThenStillListening();
  });
});
