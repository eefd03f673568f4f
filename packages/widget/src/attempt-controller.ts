import type { ReactiveController, ReactiveElement } from 'lit';
import { ConnectError } from './connect-error.js';
import { outcomeOf, type ConnectResult, type Outcome, type Report } from './connect-result.js';
import type { Way } from './connect-way.js';
import { openCenteredPopup } from './popup.js';
import { recordDeparture, returnUrl } from './returned-attempt.js';

/** Where an attempt goes, where its session token comes from, and whom it tells. */
export interface AttemptOptions {
  /**
   * A new attempt that goes this `Way`, or one that came back to this page after a redirect
   * (DESIGN §4.9), by its id.
   */
  via: Way | { readonly returned: string };
  /** The server's base URL (see `parseServer`). */
  server: URL;
  /** The host's `integration`, recorded when the page leaves. */
  integration: string;
  width: number;
  height: number;
  /** Called once the popup is open (if any), so that a slow token provider does not lose the click. */
  token: () => string | Promise<string>;
  /** The flow ended; called at most once, possibly after `closed`. */
  settled(outcome: Outcome): void;
  /** The popup closed and the server has no result yet (one may still come). Popup only. */
  closed(): void;
  /**
   * The host left the page before the attempt ended. The host calls `stop()` and decides what
   * its own state becomes.
   */
  left(): void;
}

/**
 * Where an attempt is. `open`: the popup is open, or was just seen closed and the server gets a
 * few quick polls. `closed`: reported closed, still listening for a late result. `ended`:
 * settled or stopped, nothing listens any more.
 */
type Phase = 'open' | 'closed' | 'ended';

/**
 * Loads the attempt flow, or finds it loaded. A load that failed is tried again by the next
 * call.
 */
export const loadFlow = (): Promise<typeof import('./attempt-flow.js')> =>
  import('./attempt-flow.js');

const popupClosed = (): ConnectError => new ConnectError('popup_closed', 'The popup was closed.');

/**
 * One attempt, as a controller of the element that starts it: opens the popup inside the
 * click (unless the attempt leaves the page or came back to it), asks for the session token,
 * and hands the rest to the attempt flow (attempt-flow.ts), whose code loads meanwhile: it posts
 * the form into the popup and waits for the result, or posts it to the page itself, or polls
 * for the outcome of an attempt that came back. It stays added to its host until it ends, so
 * that the host leaving the page reaches it; once stopped or ended it leaves no listener, timer
 * or request behind.
 */
export class AttemptController implements ReactiveController {
  /** 128 random bits, base64url: what ties a result to this attempt. */
  readonly id: string;
  /** None when the attempt leaves the page or came back to it. */
  readonly popup: Window | undefined;
  /** Where the server sends the browser back to, when the attempt leaves the page. */
  readonly #returnTo: string | undefined;
  /** Settles once: with the result, or with the error (`popup_closed` included). */
  readonly result: Promise<ConnectResult>;
  #phase: Phase = 'open';
  readonly #host: ReactiveElement;
  readonly #options: AttemptOptions;
  /** Aborted when the attempt ends: every listener, timer and request hangs off it. */
  readonly #abort = new AbortController();
  #resolve!: (result: ConnectResult) => void;
  #reject!: (error: ConnectError) => void;

  /**
   * Synchronous up to the popup, for the click handler: browsers block a popup opened after an
   * `await`. The form goes into the host's render root.
   *
   * @throws {ConnectError} `popup_blocked` when the browser refused the popup and the way has no
   *   fallback
   */
  constructor(host: ReactiveElement, options: AttemptOptions) {
    const { via } = options;
    let id: string;
    let popup: Window | null = null;
    if (typeof via === 'object') {
      id = via.returned;
    } else {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      // 16 bytes are 22 base64 characters and `==`.
      id = btoa(String.fromCharCode(...bytes))
        .slice(0, 22)
        .replace(/\+/g, '-')
        .replace(/\//g, '_');
      if (via !== 'redirect') {
        popup = openCenteredPopup(`pingone-connect-${id}`, options.width, options.height);
        if (!popup && via === 'popup') {
          throw new ConnectError('popup_blocked', 'The browser blocked the popup.');
        }
      }
      if (!popup) {
        this.#returnTo = returnUrl();
        recordDeparture(id, options.server, options.integration);
      }
    }
    this.id = id;
    this.popup = popup ?? undefined;
    (this.#host = host).addController(this);
    this.#options = options;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Asked at once and loaded meanwhile: neither waits for the other.
    void this.#follow(this.#token());
  }

  /**
   * Stops everything and closes the popup (or keeps the page from leaving, if the form has not
   * gone yet); a pending `result` rejects with `popup_closed`.
   */
  stop(): void {
    this.#end();
    this.#reject(popupClosed());
  }

  /** Left to the host: it knows whether the attempt was still running for its state. */
  hostDisconnected(): void {
    this.#options.left();
  }

  /**
   * The session token, asked for once the popup is open; a provider that fails or gives none
   * ends the attempt, before any form goes out.
   */
  async #token(): Promise<string | undefined> {
    try {
      // Inside the `try`: a synchronous throw of `token()` fails the attempt too.
      const value = await this.#options.token();
      if (!value || typeof value !== 'string') {
        throw new TypeError('tokenProvider returned no token.');
      }
      return value;
    } catch (cause) {
      this.#settle(new ConnectError('session_invalid', 'tokenProvider failed.', { cause }));
      return undefined;
    }
  }

  /**
   * Loads the attempt flow and hands the attempt to it. Code that cannot load (the page went
   * offline, say) ends the attempt with `internal_error`; the next attempt loads it again.
   */
  async #follow(token: Promise<string | undefined>): Promise<void> {
    let flow: typeof import('./attempt-flow.js');
    try {
      flow = await loadFlow();
    } catch (cause) {
      return this.#settle(
        new ConnectError('internal_error', 'The connect flow failed to load.', { cause }),
      );
    }
    const leg = {
      id: this.id,
      server: this.#options.server,
      formParent: this.#host.renderRoot,
      token,
      signal: this.#abort.signal,
      settle: (report: Report) => this.#settle(outcomeOf(report)),
    };
    const { popup } = this;
    const returnTo = this.#returnTo;
    if (popup) {
      flow.follow({ ...leg, popup, close: () => this.#close(), end: () => this.#end() });
    } else if (returnTo) {
      flow.leave({ ...leg, returnTo });
    } else {
      flow.resume(leg);
    }
  }

  /** Reports the popup closed, once; the attempt may still settle later. */
  #close(): void {
    if (this.#phase !== 'open') return;
    this.#phase = 'closed';
    this.#reject(popupClosed());
    this.#options.closed();
  }

  #settle(outcome: Outcome): void {
    if (this.#phase === 'ended') return;
    this.#end();
    if (outcome instanceof ConnectError) this.#reject(outcome);
    else this.#resolve(outcome);
    this.#options.settled(outcome);
  }

  /** Stops the listener, timers and requests, and closes the popup. */
  #end(): void {
    this.#phase = 'ended';
    this.#abort.abort();
    this.popup?.close();
    this.#host.removeController(this);
  }
}
