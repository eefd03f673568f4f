import { expect } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import './define.js';
import { attemptFlowChunk, buttonOf, connectElement, recordWindowOpen } from '../test/support.js';

// A page of its own. The chunk gate refuses the flow's code throughout: a failed load is tried
// again by the next, so each test sees its own request for it and nothing ever loads it.

const flowUrl = new URL('../src/attempt-flow.ts', import.meta.url).href;

/** Resolves once the browser made one more request for the attempt flow than it had so far. */
function nextFlowRequest(): Promise<void> {
  const before = performance.getEntriesByName(flowUrl).length;
  return new Promise((resolve) => {
    const observer = new PerformanceObserver(() => {
      if (performance.getEntriesByName(flowUrl).length <= before) return;
      observer.disconnect();
      resolve();
    });
    observer.observe({ type: 'resource' });
  });
}

describe('the attempt flow, before any click', () => {
  const calls = recordWindowOpen();
  beforeEach(() => attemptFlowChunk('fail'));
  afterEach(async () => {
    await resetMouse();
    await attemptFlowChunk('open');
  });

  it('starts loading when a pointer comes over the button', async () => {
    const element = await connectElement();
    const requested = nextFlowRequest();
    const { x, y, width, height } = buttonOf(element).getBoundingClientRect();
    await sendMouse({
      type: 'move',
      position: [Math.round(x + width / 2), Math.round(y + height / 2)],
    });
    await requested;
    expect(calls).to.have.length(0);
    expect(element.state).to.equal('idle');
  });

  it('starts loading when the button gets focus', async () => {
    const element = await connectElement();
    const requested = nextFlowRequest();
    element.focus();
    await requested;
    expect(calls).to.have.length(0);
    expect(element.state).to.equal('idle');
  });
});
