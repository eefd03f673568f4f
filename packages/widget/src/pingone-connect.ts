import { html, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { AttemptController, loadFlow } from './attempt-controller.js';
import { ConnectError } from './connect-error.js';
import type { ConnectResult, Outcome } from './connect-result.js';
import {
  type AttemptDetail,
  PingOneConnectCloseEvent,
  PingOneConnectErrorEvent,
  PingOneConnectStartEvent,
  PingOneConnectSuccessEvent,
} from './events.js';
import { parseWay, type Way } from './connect-way.js';
import { claimReturned } from './returned-attempt.js';
import { parseServer } from './server-url.js';
import { LanguageController, ownLang } from './language-controller.js';
import type { StatusKey } from './strings.js';
import { styles } from './styles.js';

/** Where the element is in the flow; reflected as the `state` attribute. */
export type ConnectState = 'idle' | 'connecting' | 'connected' | 'error';

/** Fetches a fresh connect session token from the host app's backend. */
export type TokenProvider = () => Promise<string>;

/**
 * Loads the attempt flow when a pointer comes over the button or it gets focus, which a click
 * or a key press on it follows: the flow is then usually loaded by the time it is needed. A
 * failed load is the click's to report.
 */
function preloadFlow(): void {
  loadFlow().catch(() => {});
}

/**
 * A button that connects the end user's PingOne account: it opens the PingOne sign-in popup
 * of your pingone-connect server and tells the page which connection was made.
 *
 * In redirect mode (`mode="redirect"`, or `fallback="redirect"` when the browser blocks the
 * popup) the page itself goes to PingOne and the server sends the browser back to this URL
 * with `pingone_connect_attempt=<attempt_id>` added. There an element with the same `server`
 * and `integration` (the first element to look, if the page left from another tab or origin),
 * once it has a `session-token` or `tokenProvider`, takes the attempt up: it removes the
 * parameter with `history.replaceState`, asks the server for the outcome and reports it with
 * the usual events. While it does, `connect()` returns that outcome.
 *
 * @summary Connect a PingOne account in a popup, or by leaving the page and coming back.
 *
 * @attr lang - Language of the built-in text: `en`, `fr`, `de`, `es` or `ja` (others fall back to English). Defaults to the closest `lang` attribute up the tree, then the document's. A language other than English loads on first use (English shows until it has; `updateComplete` waits for it).
 * @attr {"idle" | "connecting" | "connected" | "error"} state - Reflected, read-only: where the flow is.
 *
 * @event {PingOneConnectStartEvent} pingone-connect-start - The popup opened. `detail: {attempt_id, integration}`.
 * @event {PingOneConnectSuccessEvent} pingone-connect-success - Connected. `detail: {connection_id, end_user_id, scopes}`.
 * @event {PingOneConnectErrorEvent} pingone-connect-error - The flow failed. `detail: {code, message, oauth_error?}`.
 * @event {PingOneConnectCloseEvent} pingone-connect-close - The popup closed before the flow finished. `detail: {attempt_id, integration}`. A later result is still delivered.
 *
 * @slot - Replaces the button label.
 *
 * @csspart button - The button.
 * @csspart spinner - The spinner shown in the button while the popup is open.
 * @csspart status - The status line under the button, a polite live region.
 *
 * @cssproperty [--pingone-connect-font-family=inherit] - Font family.
 * @cssproperty [--pingone-connect-font-size=0.875rem] - Font size; everything else scales with it.
 * @cssproperty [--pingone-connect-radius=8px] - Button corner radius.
 * @cssproperty [--pingone-connect-background=#fff] - Button background (dark scheme: `#212830`).
 * @cssproperty [--pingone-connect-color=#1f2328] - Button text (dark: `#f0f6fc`).
 * @cssproperty [--pingone-connect-border-color=#d1d9e0] - Button border (dark: `#3d444d`).
 * @cssproperty [--pingone-connect-focus-color=#0969da] - Keyboard focus ring (dark: `#4493f8`).
 * @cssproperty [--pingone-connect-status-color=inherit] - Status text while idle or connecting.
 * @cssproperty [--pingone-connect-success-color=#1a7f37] - Status text once connected (dark: `#3fb950`).
 * @cssproperty [--pingone-connect-error-color=#d1242f] - Status text after an error (dark: `#f85149`).
 */
export class PingOneConnect extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };
  static override properties: PropertyDeclarations = {
    server: {},
    sessionToken: { attribute: 'session-token' },
    tokenProvider: { attribute: false },
    integration: {},
    label: {},
    disabled: { type: Boolean, reflect: true },
    popupWidth: { type: Number, attribute: 'popup-width' },
    popupHeight: { type: Number, attribute: 'popup-height' },
    mode: {},
    fallback: {},
    ...ownLang,
  };

  /** Base URL of your pingone-connect server, e.g. `https://connect.example.com`. Required. */
  server = '';
  /** A connect session token minted by your backend. Alternatively set `tokenProvider`. */
  sessionToken = '';
  /**
   * Called on every click, after the popup is open, for a fresh session token. Takes
   * precedence over `sessionToken`.
   */
  tokenProvider?: TokenProvider;
  /** Id of the integration this button connects, reported in `start` and `close` events. */
  integration = 'pingone';
  /** Button label; defaults to "Connect PingOne" in the element's language. */
  label = '';
  /** Disables the button (`connect()` still works). */
  disabled = false;
  /** Popup width in CSS pixels. */
  popupWidth = 500;
  /** Popup height in CSS pixels. */
  popupHeight = 680;
  /**
   * `popup`: connect in a popup. `redirect`: the page goes to PingOne and comes back to its
   * current URL (`return_to`), where the element reports the outcome. Another value puts the
   * element in the `error` state and makes `connect()` reject with a `TypeError`.
   */
  mode: 'popup' | 'redirect' = 'popup';
  /**
   * `redirect`: when the browser blocks the popup, connect in redirect mode instead of failing
   * with `popup_blocked`. Empty: no fallback. Another value is refused like a bad `mode`.
   */
  fallback: '' | 'redirect' = '';

  #state: ConnectState = 'idle';
  #status: StatusKey | undefined;
  #attempt: AttemptController | undefined;
  readonly #language = new LanguageController(this);

  /** Where the flow is: `idle`, `connecting`, `connected` or `error`. */
  get state(): ConnectState {
    return this.#state;
  }

  /**
   * Opens the popup and resolves with the new connection, or rejects with a `ConnectError`
   * (`popup_closed` when the popup closes first). Call it synchronously from a click handler:
   * browsers block a popup opened later. While the popup is open, a second call focuses it and
   * returns the same promise. In redirect mode the page leaves, so the promise only settles
   * when the attempt fails before it does; on the page the browser comes back to, while the
   * element takes the attempt up, `connect()` returns its outcome instead of starting another.
   *
   * @throws {TypeError} (as a rejection) when `server` or the session token is missing, or
   *   `mode` or `fallback` has a bad value
   */
  connect(): Promise<ConnectResult> {
    this.#resume();
    const current = this.#attempt;
    if (current && this.#state === 'connecting' && !current.popup?.closed) {
      current.popup?.focus();
      return current.result;
    }
    try {
      const server = parseServer(this.server);
      const way = parseWay(this.mode, this.fallback);
      if (!this.tokenProvider && !this.sessionToken) {
        throw new TypeError('<pingone-connect>: set "session-token" or tokenProvider.');
      }
      return this.#start(server, way);
    } catch (error) {
      if (error instanceof ConnectError) this.#handleSettled(error);
      else this.#misconfigured(error as TypeError);
      return Promise.reject(error);
    }
  }

  /** Closes the popup and stops listening; a pending `connect()` rejects with `popup_closed`. */
  cancel(): void {
    this.#drop(true);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('state', this.#state);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('server') && !changed.has('mode') && !changed.has('fallback')) return;
    try {
      parseServer(this.server);
      parseWay(this.mode, this.fallback);
      if (this.#state === 'error') this.#setState('idle');
    } catch (error) {
      this.#misconfigured(error as TypeError);
    }
  }

  /** An attempt that came back to the page is taken up once the element has a token. */
  protected override updated(): void {
    this.#resume();
  }

  /** Also waits for the text of a language that is still loading, and its render. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.#language.loaded;
    return super.getUpdateComplete();
  }

  protected override render(): unknown {
    const { strings } = this.#language;
    const busy = this.#state === 'connecting';
    return html`<button
        part="button"
        type="button"
        ?disabled=${this.disabled}
        aria-busy=${busy}
        aria-describedby="status"
        @click=${this.#handleClick}
        @pointerenter=${preloadFlow}
        @focus=${preloadFlow}
      >
        ${busy ? html`<span part="spinner"></span>` : ''}<slot
          >${this.label || strings.connect}</slot
        ></button
      ><span id="status" part="status" role="status" aria-live="polite"
        >${this.#status ? strings[this.#status] : ''}</span
      >`;
  }

  /** The outcome reaches the page through events and `state`; the promise is for `connect()` callers. */
  #handleClick(): void {
    this.connect().catch(() => {});
  }

  /**
   * Starts an attempt that goes `via` (the current one, if any, is dropped) and reports `start`.
   *
   * @throws {ConnectError} `popup_blocked`, from the attempt
   */
  #start(server: URL, via: Way | { returned: string }): Promise<ConnectResult> {
    const { tokenProvider, sessionToken, popupWidth, popupHeight } = this;
    this.#drop(true);
    const attempt: AttemptController = new AttemptController(this, {
      via,
      server,
      integration: this.integration,
      // `> 0` is also false for the NaN of a non-numeric attribute.
      width: popupWidth > 0 ? popupWidth : 500,
      height: popupHeight > 0 ? popupHeight : 680,
      token: () => (tokenProvider ? tokenProvider() : sessionToken),
      settled: (outcome) => this.#handleSettled(outcome),
      // Only the current attempt still reports: the others were stopped.
      closed: () => this.#handleClosed(attempt),
      left: () => this.#drop(false),
    });
    this.#attempt = attempt;
    this.#setState('connecting', 'connecting');
    this.dispatchEvent(new PingOneConnectStartEvent(this.#detail(attempt)));
    return attempt.result;
  }

  /**
   * Takes up the attempt that came back to this page, if it is this element's (see
   * returned-attempt.ts), once the element is on the page with a server and a token, and has
   * no attempt of its own yet. The outcome reaches the page through events; `connect()`
   * callers get the promise.
   */
  #resume(): void {
    if (this.#attempt || !this.isConnected || (!this.tokenProvider && !this.sessionToken)) return;
    let server: URL;
    try {
      server = parseServer(this.server);
    } catch {
      return;
    }
    const id = claimReturned(server, this.integration);
    if (id) this.#start(server, { returned: id }).catch(() => {});
  }

  #detail({ id }: AttemptController): AttemptDetail {
    return { attempt_id: id, integration: this.integration };
  }

  /**
   * Forgets the current attempt and stops it. If it was still running, `report` tells the page
   * with `pingone-connect-close`; when the element left the page it just goes back to idle.
   */
  #drop(report: boolean): void {
    const attempt = this.#attempt;
    this.#attempt = undefined;
    if (!attempt) return;
    attempt.stop();
    if (this.#state !== 'connecting') return;
    if (report) this.#handleClosed(attempt);
    else this.#setState('idle');
  }

  #handleClosed(attempt: AttemptController): void {
    this.#setState('idle', 'closed');
    this.dispatchEvent(new PingOneConnectCloseEvent(this.#detail(attempt)));
  }

  #handleSettled(outcome: Outcome): void {
    if (!(outcome instanceof ConnectError)) {
      this.#setState('connected', 'connected');
      this.dispatchEvent(new PingOneConnectSuccessEvent(outcome));
      return;
    }
    const { code, message, oauth_error } = outcome;
    this.#setState('error', code === 'popup_blocked' ? 'blocked' : 'failed');
    this.dispatchEvent(
      new PingOneConnectErrorEvent(
        oauth_error ? { code, message, oauth_error } : { code, message },
      ),
    );
  }

  #misconfigured(error: TypeError): void {
    console.error(error.message);
    this.#setState('error', 'failed');
  }

  #setState(state: ConnectState, status?: StatusKey): void {
    this.#state = state;
    this.#status = status;
    if (this.isConnected) this.setAttribute('state', state);
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pingone-connect': PingOneConnect;
  }
}
