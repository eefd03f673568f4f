import { isResultMessage } from '@pingone-connect/protocol';
import { fetchAttemptStatus } from './attempt-status.js';
import { ConnectError } from './connect-error.js';
import { outcomeOf, type ConnectResult, type Outcome } from './connect-result.js';
import { openCenteredPopup, postIntoPopup, type PopupSize } from './popup.js';
import { serverEndpoint } from './server-url.js';
import { sessionDeadline } from './session-token.js';
import { timing } from './timing.js';

/** What an attempt reports to the element that started it. */
export interface AttemptHandlers {
  /** The flow ended; called at most once, possibly after `closed`. */
  settled(outcome: Outcome): void;
  /** The popup closed and the server has no result yet (one may still come). */
  closed(): void;
}

const windowName = (id: string): string => `pingone-connect-${id}`;

const popupClosed = (): ConnectError => new ConnectError('popup_closed', 'The popup was closed.');

/**
 * One trip through the popup: posts the connect form into it, then waits for the result page's
 * message or, once the popup is seen closed, asks the server. Every listener, timer and request
 * hangs off one AbortController, so `dispose()` leaves nothing behind.
 */
export class ConnectAttempt {
  /** 128 random bits, base64url: what ties a result to this attempt. */
  readonly id: string;
  readonly popup: Window;
  /** Settles once: with the result, or with the error (`popup_closed` included). */
  readonly result: Promise<ConnectResult>;
  readonly #server: URL;
  readonly #handlers: AttemptHandlers;
  readonly #abort = new AbortController();
  #resolve!: (result: ConnectResult) => void;
  #reject!: (error: ConnectError) => void;
  /** Set once the form went out: without it the server never heard of this attempt. */
  #token: string | undefined;
  #closed = false;

  private constructor(id: string, popup: Window, server: URL, handlers: AttemptHandlers) {
    this.id = id;
    this.popup = popup;
    this.#server = server;
    this.#handlers = handlers;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /**
   * Opens the popup, centred. Synchronous, for the click handler: browsers block a popup
   * opened after an `await`. Returns `undefined` when the browser blocked it anyway.
   */
  static open(server: URL, size: PopupSize, handlers: AttemptHandlers): ConnectAttempt | undefined {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const id = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const popup = openCenteredPopup(windowName(id), size);
    return popup ? new ConnectAttempt(id, popup, server, handlers) : undefined;
  }

  /**
   * Posts `{session_token, attempt_id, origin}` into the popup once `token` resolves (the popup
   * is already open, so a slow token provider does not lose the click), and starts watching.
   * `formParent` holds the short-lived form.
   */
  start(token: Promise<string>, formParent: ParentNode): void {
    const { signal } = this.#abort;
    addEventListener('message', (event) => this.#handleMessage(event), { signal });
    token.then(
      (value) => this.#post(value, formParent),
      (cause: unknown) =>
        this.#fail(new ConnectError('session_invalid', 'tokenProvider failed.', { cause })),
    );
    this.#watch(signal).catch(() => {
      // Aborted: the attempt settled or was disposed, and whoever did it reported it.
    });
  }

  /** Stops everything and closes the popup; a pending `result` rejects with `popup_closed`. */
  dispose(): void {
    this.#abort.abort();
    this.popup.close();
    this.#reject(popupClosed());
  }

  #post(token: string, formParent: ParentNode): void {
    if (this.#abort.signal.aborted || this.popup.closed) return;
    if (!token || typeof token !== 'string') {
      return this.#fail(new ConnectError('session_invalid', 'tokenProvider returned no token.'));
    }
    postIntoPopup(formParent, serverEndpoint(this.#server, 'oauth/connect'), windowName(this.id), {
      session_token: token,
      attempt_id: this.id,
      origin: location.origin,
    });
    this.#token = token;
  }

  /** Accepts only a well-formed result for this attempt, from this popup, at the server's origin. */
  #handleMessage({ origin, source, data }: MessageEvent): void {
    if (origin !== this.#server.origin || source !== this.popup) return;
    if (isResultMessage(data) && data.attempt_id === this.id) this.#settle(outcomeOf(data));
  }

  async #watch(signal: AbortSignal): Promise<void> {
    while (!this.popup.closed) await timing.sleep(timing.closedCheckMs, signal);
    // Closed without a message: the user closed it, or a Cross-Origin-Opener-Policy severed it
    // while the sign-in goes on (it then reads closed too). Only the server knows which.
    const token = this.#token;
    const url = serverEndpoint(this.#server, `connect/attempts/${this.id}`);
    const deadline = sessionDeadline(token ?? '');
    for (let polls = 1; token; polls++) {
      const status = await fetchAttemptStatus(url, this.id, token, signal);
      if (status.kind === 'finished') return this.#settle(status.outcome);
      // A refused token before `close` says why the flow failed; after it, polling just stops.
      if (status.kind === 'refused' && !this.#closed) return this.#fail(status.error);
      if (status.kind !== 'pending') break;
      if (polls === timing.gracePolls) this.#close();
      // After `close`, keep asking while the session lives: a severed popup may still finish.
      if (this.#closed && Date.now() >= deadline) break;
      await timing.sleep(this.#closed ? timing.latePollMs : timing.gracePollMs, signal);
    }
    this.#close();
    this.#abort.abort();
  }

  /** Reports the popup closed, once; the attempt may still settle later. */
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reject(popupClosed());
    this.#handlers.closed();
  }

  #fail(error: ConnectError): void {
    this.#settle({ ok: false, error });
  }

  #settle(outcome: Outcome): void {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort();
    this.popup.close();
    if (outcome.ok) this.#resolve(outcome.result);
    else this.#reject(outcome.error);
    this.#handlers.settled(outcome);
  }
}
