import type { PropertyDeclarations, ReactiveController, ReactiveElement } from 'lit';
import { english, stringsFor, type Strings } from './strings.js';

/**
 * For the host's `static properties`: Lit then observes the host's own `lang` attribute and
 * renders a change in the same update. A symbol key adds no property to the element's API, and
 * no value is kept: `strings` reads the attribute.
 */
export const ownLang: PropertyDeclarations = { [Symbol()]: { attribute: 'lang' } };

/**
 * Gives its host the text of the closest `lang` up the tree, then the document's, and renders
 * the host again when the page switches `<html lang>`: single-page apps do, at run time. A host
 * that declares `ownLang` also renders when its own `lang` changes. A language other than
 * English loads on first use: the host shows English meanwhile, and renders again once the text
 * has come (a failed load leaves it English).
 */
export class LanguageController implements ReactiveController {
  /**
   * Settles once the text last asked for has loaded (the host's update is then requested) or
   * failed to; never rejects. Unset until a language had to load. A host's
   * `getUpdateComplete()` can wait for it.
   */
  loaded?: Promise<void>;
  readonly #host: ReactiveElement;
  readonly #observer: MutationObserver;

  constructor(host: ReactiveElement) {
    (this.#host = host).addController(this);
    this.#observer = new MutationObserver(() => host.requestUpdate());
  }

  /** The host's text in its language now; read it while rendering. */
  get strings(): Strings {
    const host = this.#host;
    const strings = stringsFor(
      (host.closest('[lang]') as HTMLElement | null)?.lang || document.documentElement.lang,
    );
    if (!(strings instanceof Promise)) return strings;
    // The browser reports the failed request itself; the text just stays English.
    this.loaded = strings.then(
      () => host.requestUpdate(),
      () => {},
    );
    return english;
  }

  hostConnected(): void {
    this.#observer.observe(document.documentElement, { attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
  }
}
