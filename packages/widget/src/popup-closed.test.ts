import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import {
  answerAttempt,
  closedAttempt,
  connectElement,
  countSleeps,
  pollsAfter,
  recordEvents,
  recordWindowOpen,
  rejectionOf,
  server,
  startAttempt,
  useFastTiming,
} from '../test/support.js';

const success = {
  status: 'success',
  connection_id: 'conn_late',
  end_user_id: 'user-42',
  scopes: ['openid'],
};

describe('when the popup closes without a message', () => {
  const calls = recordWindowOpen();
  const sleeps = countSleeps();
  useFastTiming();

  it('reports close, goes back to idle and rejects connect() with popup_closed', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const events = recordEvents(element);
    const closed = oneEvent(element, 'pingone-connect-close');
    attempt.popup.close();

    expect((await closed).detail).to.deep.equal({ attempt_id: attempt.id, integration: 'pingone' });
    expect(element.state).to.equal('idle');
    expect(await rejectionOf(attempt.result)).to.include({
      name: 'ConnectError',
      code: 'popup_closed',
    });
    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-close']);
    // The status line says what happened.
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part=status]')?.textContent).to.equal(
      'Sign-in window closed',
    );
  });

  it('delivers the success the server knows of when a Cross-Origin-Opener-Policy severed the popup', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const events = recordEvents(element);
    await answerAttempt(attempt.id, 200, success);
    const succeeded = oneEvent(element, 'pingone-connect-success');
    // A real COOP header: the browser cuts the popup from its opener, which now reads it closed.
    attempt.popup.location.href = `${server}/coop`;

    expect((await succeeded).detail).to.deep.equal({
      connection_id: 'conn_late',
      end_user_id: 'user-42',
      scopes: ['openid'],
    });
    expect(await attempt.result).to.deep.equal({
      connection_id: 'conn_late',
      end_user_id: 'user-42',
      scopes: ['openid'],
    });
    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-success']);
    expect(element.state).to.equal('connected');
  });

  it('delivers a success that arrives after close', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const closed = oneEvent(element, 'pingone-connect-close');
    attempt.popup.location.href = `${server}/coop`;
    await closed;
    expect(element.state).to.equal('idle');

    const succeeded = oneEvent(element, 'pingone-connect-success');
    await answerAttempt(attempt.id, 200, success);
    expect((await succeeded).detail.connection_id).to.equal('conn_late');
    expect(element.state).to.equal('connected');
    // connect() already settled with popup_closed: a promise settles once.
    expect(await rejectionOf(attempt.result)).to.include({ code: 'popup_closed' });
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
  });

  it('delivers an error that arrives after close', async () => {
    const { element, attempt } = await closedAttempt(calls);

    const failed = oneEvent(element, 'pingone-connect-error');
    await answerAttempt(attempt.id, 200, {
      status: 'error',
      error: { code: 'access_denied', message: 'The user declined.' },
    });
    expect((await failed).detail).to.deep.equal({
      code: 'access_denied',
      message: 'The user declined.',
    });
    expect(element.state).to.equal('error');
  });

  it('reports the refusal when the session token expired before close', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    await answerAttempt(attempt.id, 401, {
      error: { code: 'session_expired', message: 'The session has expired.' },
    });
    const events = recordEvents(element);
    const failed = oneEvent(element, 'pingone-connect-error');
    attempt.popup.close();

    expect((await failed).detail).to.deep.equal({
      code: 'session_expired',
      message: 'The session has expired.',
    });
    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-error']);
    expect(await rejectionOf(attempt.result)).to.include({ code: 'session_expired' });
  });

  it('stops listening, without an error, once the server refuses the token after close', async () => {
    const { element, attempt } = await closedAttempt(calls);
    const events = recordEvents(element);

    const before = await answerAttempt(attempt.id, 401, {
      error: { code: 'session_expired', message: 'The session has expired.' },
    });
    await pollsAfter(attempt.id, before);
    // The refusal was read: no timer is left and nothing was reported.
    while (sleeps.pending > 0) await aTimeout(0);
    expect(events).to.have.length(0);
    expect(element.state).to.equal('idle');
  });

  it('asks the server with the session token as a Bearer header', async () => {
    // The fake server answers 401 to any other Authorization: a success proves the header.
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    await answerAttempt(attempt.id, 200, success);
    const succeeded = oneEvent(element, 'pingone-connect-success');
    attempt.popup.close();
    await succeeded;
  });

  it('reports close at once when the popup closes before the form went out', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server}></pingone-connect>`,
    );
    element.tokenProvider = () => new Promise(() => {});
    const closed = oneEvent(element, 'pingone-connect-close');
    element.connect().catch(() => {});
    calls[0]?.popup?.close();
    await closed;
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
  });

  it('treats an attempt the server never saw as closed', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const events = recordEvents(element);
    // Pretend the server lost it: invalid_request for this attempt id.
    await answerAttempt(attempt.id, 400, {
      error: { code: 'invalid_request', message: 'Unknown attempt.' },
    });
    const closed = oneEvent(element, 'pingone-connect-close');
    attempt.popup.close();
    await closed;
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
    expect(events.map((event) => event.type)).to.deep.equal(['pingone-connect-close']);
  });

  it('keeps polling through a malformed answer or a server error', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    await answerAttempt(attempt.id, 200, { status: 'success', connection_id: 42 });
    const closed = oneEvent(element, 'pingone-connect-close');
    attempt.popup.close();
    await closed;
    const before = await answerAttempt(attempt.id, 503, {
      error: { code: 'internal_error', message: 'Down.' },
    });
    // A poll got the 503, and the element still asks again.
    await pollsAfter(attempt.id, before + 1);
    const succeeded = oneEvent(element, 'pingone-connect-success');
    await answerAttempt(attempt.id, 200, success);
    await succeeded;
  });

  /**
   * Answers every poll with `answer`, closes the popup and waits until the element reported
   * either the close or a success, then, after a close, for one late poll more. Returns what the
   * element reported and its state then, and takes it off the page, which stops its polling.
   */
  async function outcomeOfPolls(answer: unknown): Promise<{ state: string; reported: string[] }> {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const events = recordEvents(element);
    await answerAttempt(attempt.id, 200, answer);
    const first = Promise.race([
      oneEvent(element, 'pingone-connect-close'),
      oneEvent(element, 'pingone-connect-success'),
    ]);
    attempt.popup.close();
    // After a success the element asks no more.
    if ((await first).type === 'pingone-connect-close') {
      await pollsAfter(attempt.id, await pollsAfter(attempt.id, 0));
    }
    const outcome = { state: element.state, reported: events.map((event) => event.type) };
    element.remove();
    while (sleeps.pending > 0) await aTimeout(0);
    return outcome;
  }

  it('does not take a success answer with a key the contract does not have', async () => {
    expect(await outcomeOfPolls({ ...success, access_token: 'at_leaked' })).to.deep.equal({
      state: 'idle',
      reported: ['pingone-connect-close'],
    });
  });

  it('does not take a success answer that also carries an error', async () => {
    const answer = { ...success, error: { code: 'access_denied', message: 'The user declined.' } };
    expect(await outcomeOfPolls(answer)).to.deep.equal({
      state: 'idle',
      reported: ['pingone-connect-close'],
    });
  });

  it('stops listening for a late result once the session token has expired', async () => {
    const token = `e30.${btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 1 }))}.c2ln`;
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} session-token=${token}></pingone-connect>`,
    );
    const attempt = await startAttempt(element, calls);
    const closed = oneEvent(element, 'pingone-connect-close');
    attempt.popup.close();
    await closed;
    // The grace polls ran, then nothing more is scheduled.
    expect(sleeps.pending).to.equal(0);
    expect(await pollsAfter(attempt.id, 0)).to.equal(3);
  });
});
