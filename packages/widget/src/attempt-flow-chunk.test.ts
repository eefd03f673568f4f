import { expect, oneEvent } from '@open-wc/testing';
import './define.js';
import {
  attemptFlowChunk,
  buttonOf,
  connectElement,
  postedForm,
  recordEvents,
  recordWindowOpen,
  rejectionOf,
  useFastTiming,
} from '../test/support.js';

// A page of its own, so that no other test has loaded the attempt flow before.

describe('the attempt flow chunk', () => {
  const calls = recordWindowOpen();
  useFastTiming();
  afterEach(() => attemptFlowChunk('open'));

  it('that fails to load ends the attempt with internal_error and closes the popup', async () => {
    await attemptFlowChunk('fail');
    const element = await connectElement();
    const events = recordEvents(element);
    const failed = oneEvent(element, 'pingone-connect-error');
    const error = await rejectionOf(element.connect());
    expect(error).to.include({ name: 'ConnectError', code: 'internal_error' });
    expect((await failed).detail).to.deep.equal({
      code: 'internal_error',
      message: 'The connect flow failed to load.',
    });
    expect(events.map((event) => event.type)).to.deep.equal([
      'pingone-connect-start',
      'pingone-connect-error',
    ]);
    expect(calls[0]?.popup?.closed).to.equal(true);
    expect(element.getAttribute('state')).to.equal('error');
  });

  it('after a failed load, is loaded again by the next click, which opens the popup before it comes', async () => {
    await attemptFlowChunk('fail');
    const element = await connectElement();
    const failed = oneEvent(element, 'pingone-connect-error');
    buttonOf(element).click();
    await failed;

    await attemptFlowChunk('hold');
    const started = oneEvent(element, 'pingone-connect-start');
    buttonOf(element).click();
    // Opened before the flow's code came: nothing that must run inside the click waits for it.
    expect(calls).to.have.length(2);
    expect(calls[1]?.popup?.closed).to.equal(false);
    expect(element.state).to.equal('connecting');
    const { detail } = await started;
    await attemptFlowChunk('open');
    const post = await postedForm(detail.attempt_id);
    expect(post.fields.attempt_id).to.equal(detail.attempt_id);
  });
});
