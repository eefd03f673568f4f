import { aTimeout, expect, fixture } from '@open-wc/testing';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { LitElement } from 'lit';
import { AttemptController, type AttemptOptions } from './attempt-controller.js';
import type { Outcome } from './connect-result.js';
import { parseServer } from './server-url.js';
import {
  countSleeps,
  postedForm,
  recordWindowOpen,
  rejectionOf,
  resultPageUrl,
  server,
  sessionToken,
  successMessage,
  useFastTiming,
} from '../test/support.js';

/** A bare host: the controller needs only `addController` and a render root for its form. */
class AttemptHost extends LitElement {}
const tag = unsafeStatic('attempt-controller-host');
customElements.define('attempt-controller-host', AttemptHost);

/** What the attempt reported, in order. */
type Report = ['settled', Outcome] | ['closed'] | ['left'];

describe('AttemptController', () => {
  const calls = recordWindowOpen();
  const sleeps = countSleeps();
  useFastTiming();
  /** Every attempt a test started, stopped after it so that none runs into the next test. */
  const started: AttemptController[] = [];
  afterEach(async () => {
    for (const attempt of started.splice(0)) attempt.stop();
    // Its timers reject on the stop; let them finish inside this test.
    await aTimeout(0);
  });

  async function start(
    options: Partial<AttemptOptions> = {},
  ): Promise<{ host: AttemptHost; attempt: AttemptController; reports: Report[] }> {
    const host = await fixture<AttemptHost>(staticHtml`<${tag}></${tag}>`);
    const reports: Report[] = [];
    const attempt = new AttemptController(host, {
      via: 'popup',
      server: parseServer(server),
      integration: 'pingone',
      width: 400,
      height: 500,
      token: sessionToken,
      settled: (outcome) => reports.push(['settled', outcome]),
      closed: () => reports.push(['closed']),
      left: () => reports.push(['left']),
      ...options,
    });
    attempt.result.catch(() => {});
    started.push(attempt);
    return { host, attempt, reports };
  }

  it('opens a named popup and posts the form into it from the host', async () => {
    const { attempt } = await start();
    expect(calls).to.have.length(1);
    expect(calls[0]?.name).to.equal(`pingone-connect-${attempt.id}`);
    expect(calls[0]?.popup).to.equal(attempt.popup);
    expect(attempt.id).to.match(/^[\w-]{22}$/);
    const form = await postedForm(attempt.id);
    expect(form.fields).to.include({ attempt_id: attempt.id, origin: location.origin });
  });

  it('settles once with the result message and leaves its host', async () => {
    const { host, attempt, reports } = await start();
    await postedForm(attempt.id);
    if (!attempt.popup) throw new Error('no popup');
    attempt.popup.location.href = resultPageUrl(successMessage(attempt.id));
    const result = await attempt.result;
    expect(result).to.include({ connection_id: 'conn_01J9ZQ4K8M' });
    expect(reports).to.deep.equal([['settled', result]]);
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
    // Ended: the host leaving the page no longer concerns it.
    host.remove();
    expect(reports).to.have.length(1);
  });

  it('tells its host when the host leaves the page while it runs', async () => {
    const { host, attempt, reports } = await start();
    host.remove();
    expect(reports).to.deep.equal([['left']]);
    // The host decides; here it stops the attempt, which leaves nothing behind.
    attempt.stop();
    expect(attempt.popup?.closed).to.equal(true);
    expect(await rejectionOf(attempt.result)).to.include({ code: 'popup_closed' });
    await aTimeout(0);
    expect(sleeps.pending).to.equal(0);
  });

  it('once stopped, reports nothing more and no longer hears of its host', async () => {
    const { host, attempt, reports } = await start();
    attempt.stop();
    attempt.stop();
    host.remove();
    await aTimeout(0);
    expect(reports).to.have.length(0);
    expect(sleeps.pending).to.equal(0);
  });

  it('fails with session_invalid when the token cannot be had, before any form goes out', async () => {
    const failure = new Error('backend down');
    const { attempt, reports } = await start({
      token: () => {
        throw failure;
      },
    });
    const error = await rejectionOf(attempt.result);
    expect(error).to.include({ code: 'session_invalid', cause: failure });
    expect(reports).to.deep.equal([['settled', error]]);
    expect(attempt.popup?.closed).to.equal(true);
  });
});
