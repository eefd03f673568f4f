import { expect, fixture, fixtureSync, html, nextFrame } from '@open-wc/testing';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import { languageChunk, recordEvents, server, textOf } from '../test/support.js';

// Each test file runs in a page of its own: no language chunk has loaded when this one starts.

const chunkRequests = (lang: string): number =>
  performance
    .getEntriesByType('resource')
    .filter(({ name }) => new URL(name).pathname.endsWith(`/strings/${lang}.ts`)).length;

describe('languages other than English, loaded on first use', () => {
  afterEach(async () => {
    for (const lang of ['fr', 'de', 'es', 'ja']) await languageChunk(lang, 'open');
  });

  const labels = {
    fr: 'Connecter PingOne',
    de: 'PingOne verbinden',
    es: 'Conectar PingOne',
    ja: 'PingOne に接続',
  };
  for (const [lang, label] of Object.entries(labels)) {
    it(`switches to ${lang}: English while its text loads, then its text, and no error`, async () => {
      const element = await fixture<PingOneConnect>(
        html`<pingone-connect server=${server} lang="en"></pingone-connect>`,
      );
      const events = recordEvents(element);
      await languageChunk(lang, 'hold');
      element.lang = lang;
      await nextFrame();
      expect(textOf(element)).to.equal('Connect PingOne');
      expect(element.state).to.equal('idle');

      await languageChunk(lang, 'open');
      // `updateComplete` also waits for the text that is loading, and its render.
      await element.updateComplete;
      expect(textOf(element)).to.equal(label);
      expect(element.state).to.equal('idle');
      expect(events).to.deep.equal([]);
      expect(chunkRequests(lang)).to.equal(1);
    });
  }

  it('renders a language loaded before at once, and loads each chunk only once', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <pingone-connect server=${server} lang="fr"></pingone-connect
        ><pingone-connect server=${server} lang="fr-CA"></pingone-connect>
      </div>`,
    );
    const [first, second] = wrapper.querySelectorAll('pingone-connect');
    await Promise.all([first?.updateComplete, second?.updateComplete]);
    const element = fixtureSync<PingOneConnect>(
      html`<pingone-connect server=${server} lang="fr"></pingone-connect>`,
    );
    await nextFrame();
    expect(textOf(element)).to.equal('Connecter PingOne');
    expect(chunkRequests('fr')).to.equal(1);
  });

  it('stays English for a language it does not have, and loads nothing', async () => {
    const before = performance.getEntriesByType('resource').length;
    const element = fixtureSync<PingOneConnect>(
      html`<pingone-connect server=${server} lang="pt-BR"></pingone-connect>`,
    );
    await nextFrame();
    expect(textOf(element)).to.equal('Connect PingOne');
    await element.updateComplete;
    expect(textOf(element)).to.equal('Connect PingOne');
    expect(performance.getEntriesByType('resource').length).to.equal(before);
  });
});
