import { expect, fixture, html } from '@open-wc/testing';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import { languageChunk, recordEvents, server, textOf } from '../test/support.js';

// A page of its own, so that no other test has loaded the Japanese chunk before.

describe('a language chunk that fails to load', () => {
  afterEach(() => languageChunk('ja', 'open'));

  it('leaves the element English and idle, with no error event and no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (event: PromiseRejectionEvent): void => {
      rejections.push(event.reason);
    };
    addEventListener('unhandledrejection', onRejection);
    await languageChunk('ja', 'fail');
    const element = document.createElement('pingone-connect');
    const events = recordEvents(element);
    element.server = server;
    element.lang = 'ja';
    await fixture<HTMLDivElement>(html`<div>${element}</div>`);
    // Settles once the load has failed.
    await element.updateComplete;
    expect(textOf(element)).to.equal('Connect PingOne');
    expect(element.state).to.equal('idle');
    expect(element.getAttribute('state')).to.equal('idle');
    expect(events).to.deep.equal([]);
    // A task later, any unhandled rejection has been reported.
    await new Promise((resolve) => setTimeout(resolve));
    removeEventListener('unhandledrejection', onRejection);
    expect(rejections).to.deep.equal([]);
  });

  it('is tried again by a later render, once the chunk can be had', async () => {
    await languageChunk('ja', 'fail');
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} lang="ja"></pingone-connect>`,
    );
    expect(textOf(element)).to.equal('Connect PingOne');
    await languageChunk('ja', 'open');
    element.lang = 'ja-JP';
    await element.updateComplete;
    expect(textOf(element)).to.equal('PingOne に接続');
  });
});
