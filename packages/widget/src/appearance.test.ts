import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import './define.js';
import type { PingOneConnect } from './pingone-connect.js';
import {
  buttonOf,
  connectElement,
  recordWindowOpen,
  resultPageUrl,
  server,
  startAttempt,
  successMessage,
  useFastTiming,
} from '../test/support.js';

const statusOf = (element: PingOneConnect): string =>
  element.shadowRoot?.querySelector('[part=status]')?.textContent ?? '';
const labelOf = (element: PingOneConnect): string =>
  element.shadowRoot
    ?.querySelector('slot')
    ?.assignedNodes({ flatten: true })
    .map((node) => node.textContent)
    .join('') ?? '';

describe('accessibility', () => {
  const calls = recordWindowOpen();
  useFastTiming();

  it('is accessible when idle', async () => {
    await expect(await connectElement()).to.be.accessible();
  });

  it('is accessible while connecting, and says so: aria-busy, spinner, live status', async () => {
    const element = await connectElement();
    await startAttempt(element, calls);
    await element.updateComplete;
    const button = buttonOf(element);
    expect(button.getAttribute('aria-busy')).to.equal('true');
    expect(element.shadowRoot?.querySelector('[part=spinner]')).to.not.equal(null);
    const status = element.shadowRoot?.querySelector('[part=status]');
    expect(status?.getAttribute('aria-live')).to.equal('polite');
    expect(status?.getAttribute('role')).to.equal('status');
    expect(button.getAttribute('aria-describedby')).to.equal(status?.id);
    expect(statusOf(element)).to.equal('Sign in to PingOne in the pop-up.');
    await expect(element).to.be.accessible();
  });

  it('is accessible once connected, with aria-busy back to false', async () => {
    const element = await connectElement();
    const attempt = await startAttempt(element, calls);
    const succeeded = oneEvent(element, 'pingone-connect-success');
    attempt.popup.location.href = resultPageUrl(successMessage(attempt.id));
    await succeeded;
    await element.updateComplete;
    expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
    expect(element.shadowRoot?.querySelector('[part=spinner]')).to.equal(null);
    expect(statusOf(element)).to.equal('PingOne connected');
    await expect(element).to.be.accessible();
  });

  it('is accessible when disabled', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} session-token="t" disabled></pingone-connect>`,
    );
    expect(buttonOf(element).disabled).to.equal(true);
    await expect(element).to.be.accessible();
  });

  it('starts the flow with Enter on the focused button', async () => {
    const element = await connectElement();
    element.focus();
    expect(element.shadowRoot?.activeElement).to.equal(buttonOf(element));
    const started = oneEvent(element, 'pingone-connect-start');
    await sendKeys({ press: 'Enter' });
    await started;
    expect(calls).to.have.length(1);
  });

  it('starts the flow with Space on the focused button', async () => {
    const element = await connectElement();
    const started = oneEvent(element, 'pingone-connect-start');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(element);
    await sendKeys({ press: 'Space' });
    await started;
    expect(calls).to.have.length(1);
  });

  it('does not start the flow from a disabled button', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} session-token="t" disabled></pingone-connect>`,
    );
    buttonOf(element).click();
    expect(calls).to.have.length(0);
    expect(element.state).to.equal('idle');
  });
});

describe('language', () => {
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  const labels = {
    en: 'Connect PingOne',
    fr: 'Connecter PingOne',
    de: 'PingOne verbinden',
    es: 'Conectar PingOne',
    ja: 'PingOne に接続',
  };
  for (const [lang, label] of Object.entries(labels)) {
    it(`speaks ${lang} with lang="${lang}"`, async () => {
      const element = await fixture<PingOneConnect>(
        html`<pingone-connect server=${server} lang=${lang}></pingone-connect>`,
      );
      expect(labelOf(element)).to.equal(label);
    });
  }

  it('matches on the primary subtag (fr-CA) and falls back to English (pt, constructor)', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} lang="fr-CA"></pingone-connect>`,
    );
    expect(labelOf(element)).to.equal('Connecter PingOne');
    for (const lang of ['pt', 'constructor', '']) {
      element.setAttribute('lang', lang);
      await element.updateComplete;
      expect(labelOf(element)).to.equal('Connect PingOne');
    }
  });

  it('switches language when its lang attribute changes', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} lang="en"></pingone-connect>`,
    );
    element.lang = 'de';
    await element.updateComplete;
    expect(labelOf(element)).to.equal('PingOne verbinden');
  });

  it('follows the closest lang up the tree, then the document, as the page switches it', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="es"><pingone-connect server=${server}></pingone-connect></div>`,
    );
    const element = wrapper.querySelector('pingone-connect') as PingOneConnect;
    expect(labelOf(element)).to.equal('Conectar PingOne');

    wrapper.removeAttribute('lang');
    document.documentElement.setAttribute('lang', 'ja');
    // The element's MutationObserver callback was queued first; then its update runs.
    await Promise.resolve();
    await element.updateComplete;
    expect(labelOf(element)).to.equal('PingOne に接続');
  });

  it('localises the status line too', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect lang="fr"></pingone-connect>`,
    );
    // No server: the misconfiguration shows as an error in the element's language.
    expect(element.state).to.equal('error');
    expect(statusOf(element)).to.equal('Connexion impossible. Réessayez.');
  });
});

describe('label, slot, parts and custom properties', () => {
  const calls = recordWindowOpen();
  useFastTiming();

  it('takes its label from the label attribute, and the default slot over both', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} label="Link your PingOne account"></pingone-connect>`,
    );
    expect(labelOf(element)).to.equal('Link your PingOne account');
    const slotted = await fixture<PingOneConnect>(
      html`<pingone-connect server=${server} label="ignored"
        ><b>Connect</b> your directory</pingone-connect
      >`,
    );
    expect(labelOf(slotted)).to.equal('Connect your directory');
  });

  it('lets the page style ::part(button), ::part(spinner) and ::part(status)', async () => {
    const style = await fixture<HTMLStyleElement>(
      html`<style>
        .styled::part(button) {
          text-transform: uppercase;
        }
        .styled::part(spinner) {
          border-top-color: rgb(255, 0, 0);
        }
        .styled::part(status) {
          letter-spacing: 3px;
        }
      </style>`,
    );
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect class="styled" server=${server} session-token="t"></pingone-connect>`,
    );
    await startAttempt(element, calls);
    await element.updateComplete;
    const part = (name: string): CSSStyleDeclaration =>
      getComputedStyle(element.shadowRoot?.querySelector(`[part=${name}]`) as Element);
    expect(part('button').textTransform).to.equal('uppercase');
    expect(part('spinner').borderTopColor).to.equal('rgb(255, 0, 0)');
    expect(part('status').letterSpacing).to.equal('3px');
    style.remove();
  });

  it('applies the --pingone-connect-* custom properties', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect
        server=${server}
        style="--pingone-connect-background: rgb(1, 2, 3); --pingone-connect-color: rgb(250, 251, 252);
        --pingone-connect-border-color: rgb(4, 5, 6); --pingone-connect-radius: 3px;
        --pingone-connect-font-size: 20px; --pingone-connect-font-family: monospace"
      ></pingone-connect>`,
    );
    const style = getComputedStyle(buttonOf(element));
    expect(style.backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(style.color).to.equal('rgb(250, 251, 252)');
    expect(style.borderTopColor).to.equal('rgb(4, 5, 6)');
    expect(style.borderTopLeftRadius).to.equal('3px');
    expect(style.fontSize).to.equal('20px');
    expect(style.fontFamily).to.equal('monospace');
  });

  it('colours the status with --pingone-connect-error-color after an error', async () => {
    const element = await fixture<PingOneConnect>(
      html`<pingone-connect style="--pingone-connect-error-color: rgb(7, 8, 9)"></pingone-connect>`,
    );
    expect(element.getAttribute('state')).to.equal('error');
    expect(
      getComputedStyle(element.shadowRoot?.querySelector('[part=status]') as Element).color,
    ).to.equal('rgb(7, 8, 9)');
  });

  it('has light defaults, dark defaults under prefers-color-scheme: dark, and page values win in both', async () => {
    const element = await connectElement();
    const themed = await fixture<PingOneConnect>(
      html`<pingone-connect
        server=${server}
        style="--pingone-connect-background: rgb(1, 2, 3)"
      ></pingone-connect>`,
    );
    const background = (e: PingOneConnect): string => getComputedStyle(buttonOf(e)).backgroundColor;
    try {
      await emulateMedia({ colorScheme: 'light' });
      expect(background(element)).to.equal('rgb(255, 255, 255)');
      await emulateMedia({ colorScheme: 'dark' });
      expect(background(element)).to.equal('rgb(33, 40, 48)');
      expect(background(themed)).to.equal('rgb(1, 2, 3)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('reflects its state as an attribute for page styles', async () => {
    const element = await connectElement();
    expect(element.getAttribute('state')).to.equal('idle');
    await startAttempt(element, calls);
    expect(element.getAttribute('state')).to.equal('connecting');
  });
});
