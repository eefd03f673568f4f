import { expect, fixture, nextFrame } from '@open-wc/testing';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { LitElement, type PropertyDeclarations } from 'lit';
import { LanguageController, ownLang } from './language-controller.js';
import { languageChunk } from '../test/support.js';

/** A host that renders its connect label and counts its updates. */
class LanguageHost extends LitElement {
  static override properties: PropertyDeclarations = { ...ownLang };
  readonly language = new LanguageController(this);
  updates = 0;

  protected override render(): unknown {
    this.updates += 1;
    return this.language.strings.connect;
  }
}
const tag = unsafeStatic('language-controller-host');
customElements.define('language-controller-host', LanguageHost);

describe('LanguageController', () => {
  // Where a test waits for a load, it uses a language that no test before it has loaded.
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  it('reads the closest lang up the tree, then the document', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      staticHtml`<div lang="de"><${tag}></${tag}></div>`,
    );
    const host = wrapper.firstElementChild as LanguageHost;
    await host.language.loaded;
    expect(host.language.strings.connect).to.equal('PingOne verbinden');
    wrapper.removeAttribute('lang');
    document.documentElement.setAttribute('lang', 'fr');
    // French has not loaded yet: English until it has.
    expect(host.language.strings.connect).to.equal('Connect PingOne');
    await host.language.loaded;
    expect(host.language.strings.connect).to.equal('Connecter PingOne');
  });

  it('renders English while a language loads, then renders the host again in it', async () => {
    const host = await fixture<LanguageHost>(staticHtml`<${tag} lang="es"></${tag}>`);
    expect(host.shadowRoot?.textContent).to.equal('Connect PingOne');
    const updates = host.updates;
    await host.language.loaded;
    await host.updateComplete;
    expect(host.shadowRoot?.textContent).to.equal('Conectar PingOne');
    expect(host.updates).to.equal(updates + 1);
  });

  it('settles `loaded` without rejecting when a chunk fails, and stays English', async () => {
    const host = await fixture<LanguageHost>(staticHtml`<${tag} lang="en"></${tag}>`);
    await languageChunk('ja', 'fail');
    try {
      host.lang = 'ja';
      await host.updateComplete;
      expect(host.shadowRoot?.textContent).to.equal('Connect PingOne');
      const updates = host.updates;
      await host.language.loaded;
      await nextFrame();
      expect(host.updates).to.equal(updates);
      expect(host.shadowRoot?.textContent).to.equal('Connect PingOne');
    } finally {
      await languageChunk('ja', 'open');
    }
  });

  it('renders the host again when the page switches <html lang>', async () => {
    const host = await fixture<LanguageHost>(staticHtml`<${tag}></${tag}>`);
    document.documentElement.setAttribute('lang', 'es');
    // The observer's callback was queued first; then the host's update runs.
    await Promise.resolve();
    await host.updateComplete;
    await host.language.loaded;
    await host.updateComplete;
    expect(host.shadowRoot?.textContent).to.equal('Conectar PingOne');
  });

  it('stops watching <html lang> once the host left the page', async () => {
    const host = await fixture<LanguageHost>(staticHtml`<${tag}></${tag}>`);
    host.remove();
    const updates = host.updates;
    document.documentElement.setAttribute('lang', 'ja');
    await Promise.resolve();
    await host.updateComplete;
    expect(host.isUpdatePending).to.equal(false);
    expect(host.updates).to.equal(updates);
  });

  it('with ownLang, renders a change of its own lang in the same update', async () => {
    expect(LanguageHost.observedAttributes).to.include('lang');
    const host = await fixture<LanguageHost>(staticHtml`<${tag} lang="fr"></${tag}>`);
    await host.language.loaded;
    await host.updateComplete;
    // French is loaded: the change shows in the update it causes, without a load in between.
    host.lang = 'en';
    await host.updateComplete;
    expect(host.shadowRoot?.textContent).to.equal('Connect PingOne');
    host.lang = 'fr';
    await host.updateComplete;
    expect(host.shadowRoot?.textContent).to.equal('Connecter PingOne');
    // No property of its own: `lang` stays the built-in one, reflected to the attribute.
    expect(Object.keys(host)).not.to.include('lang');
    expect(host.getAttribute('lang')).to.equal('fr');
  });
});
