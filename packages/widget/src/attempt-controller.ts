import type { ReactiveController, ReactiveElement } from 'lit';
import { isAttemptStatus, isErrorCode, isResultMessage } from '@pingone-connect/protocol';
import { ConnectError } from './connect-error.js';
import { outcomeOf, type ConnectResult, type Outcome } from './connect-result.js';
import { openCenteredPopup, postIntoPopup } from './popup.js';
import { sessionDeadline } from './session-token.js';
import { timing } from './timing.js';

/** Where an attempt goes, where its session token comes from, and whom it tells. */
export interface AttemptOptions {
  /** The server's base URL (see `parseServer`). */
  server: URL;
  width: number;
  height: number;
  /** Called once the popup is open, so that a slow token provider does not lose the click. */
  token: () => string | Promise<string>;
  /** The flow ended; called at most once, possibly after `closed`. */
  settled(outcome: Outcome): void;
  /** The popup closed and the server has no result yet (one may still come). */
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

const popupClosed = (): ConnectError => new ConnectError('popup_closed', 'The popup was closed.');

/**
 * One trip through the popup, as a controller of the element that starts it: opens the popup,
 * posts `{session_token, attempt_id, origin}` into it (to `oauth/connect?attempt_id=…`) once
 * the token comes, and waits for the result page's message or, once the popup is seen closed,
 * asks the server. It stays added to its host until it ends, so that the host leaving the page
 * reaches it; once stopped or ended it leaves no listener, timer or request behind.
 */
export class AttemptController implements ReactiveController {
  /** 128 random bits, base64url: what ties a result to this attempt. */
  readonly id: string;
  readonly popup: Window;
  /** Settles once: with the result, or with the error (`popup_closed` included). */
  readonly result: Promise<ConnectResult>;
  #phase: Phase = 'open';
  /** Set once the form went out: without it the server never heard of this attempt. */
  #token: string | undefined;
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
   * @throws {ConnectError} `popup_blocked` when the browser refused the popup
   */
  constructor(host: ReactiveElement, options: AttemptOptions) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    // 16 bytes are 22 base64 characters and `==`.
    const id = btoa(String.fromCharCode(...bytes))
      .slice(0, 22)
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    const target = `pingone-connect-${id}`;
    const popup = openCenteredPopup(target, options.width, options.height);
    if (!popup) throw new ConnectError('popup_blocked', 'The browser blocked the popup.');
    this.id = id;
    this.popup = popup;
    (this.#host = host).addController(this);
    this.#options = options;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#listen();
    void this.#post(target);
    this.#watch().catch(() => {
      // Aborted: the attempt settled or was stopped, and whoever did it reported it.
    });
  }

  /** Stops everything and closes the popup; a pending `result` rejects with `popup_closed`. */
  stop(): void {
    this.#end();
    this.#reject(popupClosed());
  }

  /** Left to the host: it knows whether the attempt was still running for its state. */
  hostDisconnected(): void {
    this.#options.left();
  }

  /** Takes only a well-formed result for this attempt, from its popup, at the server's origin. */
  #listen(): void {
    addEventListener(
      'message',
      ({ origin, source, data }) => {
        if (origin !== this.#options.server.origin || source !== this.popup) return;
        if (isResultMessage(data) && data.attempt_id === this.id) this.#settle(outcomeOf(data));
      },
      { signal: this.#abort.signal },
    );
  }

  /** Posts the form into the popup once the token comes; one that fails ends the attempt. */
  async #post(target: string): Promise<void> {
    const { server, token } = this.#options;
    let value: string;
    try {
      // Inside the `try`: a synchronous throw of `token()` fails the attempt too.
      value = await token();
      if (!value || typeof value !== 'string') {
        throw new TypeError('tokenProvider returned no token.');
      }
    } catch (cause) {
      return this.#settle(new ConnectError('session_invalid', 'tokenProvider failed.', { cause }));
    }
    if (this.#phase === 'ended' || this.popup.closed) return;
    // The id also in the URL: a popup whose body the server refuses unread (too large) can
    // still post its error to the opener. The token stays in the body.
    const action = new URL(`oauth/connect?attempt_id=${this.id}`, server);
    postIntoPopup(this.#host.renderRoot, action, target, {
      session_token: value,
      attempt_id: this.id,
      origin: location.origin,
    });
    this.#token = value;
  }

  /**
   * Waits for the popup to close without a message, then asks the server: a few quick polls
   * before reporting `closed`, then slow ones while the session lives.
   */
  async #watch(): Promise<void> {
    const { signal } = this.#abort;
    // First look after an interval: the host holds the attempt by then.
    do {
      await timing.sleep(timing.closedCheckMs, signal);
    } while (!this.popup.closed);
    // Closed without a message: the user closed it, or a Cross-Origin-Opener-Policy severed it
    // while the sign-in goes on (it then reads closed too). Only the server knows which. A
    // closed popup gets no form, so the token is final.
    const token = this.#token;
    const deadline = sessionDeadline(token ?? '');
    // Without a posted form there is nothing to ask about.
    for (let polls = 1; token; polls++) {
      const answer = await this.#ask(token);
      if (answer === 'gone') break;
      if (answer) return this.#settle(answer);
      if (polls === timing.gracePolls) this.#close();
      const late = this.#phase === 'closed';
      // After `close`, keep asking while the session lives: a severed popup may still finish.
      if (late && Date.now() >= deadline) break;
      await timing.sleep(late ? timing.latePollMs : timing.gracePollMs, signal);
    }
    this.#close();
    this.#end();
  }

  /**
   * Asks the server once about the attempt. A network or CORS failure, a server error or a
   * malformed answer all count as pending.
   *
   * @returns the outcome to report, `gone` when no answer will ever come, nothing while pending
   */
  async #ask(token: string): Promise<Outcome | 'gone' | undefined> {
    const { signal } = this.#abort;
    const response = await fetch(new URL(`connect/attempts/${this.id}`, this.#options.server), {
      headers: { authorization: `Bearer ${token}` },
      credentials: 'omit',
      cache: 'no-store',
      signal,
    }).catch(() => undefined);
    const body: unknown = await response?.json().catch(() => undefined);
    signal.throwIfAborted();
    // `invalid_request`: the server never saw this attempt, the popup closed before the form
    // arrived.
    if (response?.status === 400) return 'gone';
    if (response?.status === 401 || response?.status === 403) {
      // The token is refused (expired, invalid): no answer will ever come. Before `close` that
      // is why the flow failed; after it, listening just stops.
      if (this.#phase === 'closed') return 'gone';
      // `Object()` turns a missing or non-object body or error into one without fields.
      const { code, message } = Object(Object(body).error) as Record<string, unknown>;
      return new ConnectError(
        isErrorCode(code) ? code : 'session_invalid',
        String(message ?? 'Session refused.'),
      );
    }
    // The answer passes a guard as strict as a posted result message's.
    if (!response?.ok || !isAttemptStatus(body) || body.status === 'pending') return undefined;
    return outcomeOf(body);
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
    this.popup.close();
    this.#host.removeController(this);
  }
}
