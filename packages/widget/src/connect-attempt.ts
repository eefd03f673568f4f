import { isErrorCode, isResultMessage, RESULT_MESSAGE_TYPE } from '@pingone-connect/protocol';
import { ConnectError } from './connect-error.js';
import { outcomeOf, type ConnectResult, type Outcome } from './connect-result.js';
import { openCenteredPopup, postIntoPopup } from './popup.js';
import { sessionDeadline } from './session-token.js';
import { timing } from './timing.js';

/** What an attempt reports to the element that started it. */
export interface AttemptHandlers {
  /** The flow ended; called at most once, possibly after `closed`. */
  settled(outcome: Outcome): void;
  /** The popup closed and the server has no result yet (one may still come). */
  closed(): void;
}

/** One trip through the popup. */
export interface ConnectAttempt {
  /** 128 random bits, base64url: what ties a result to this attempt. */
  readonly id: string;
  readonly popup: Window;
  /** Settles once: with the result, or with the error (`popup_closed` included). */
  readonly result: Promise<ConnectResult>;
  /** Stops everything and closes the popup; a pending `result` rejects with `popup_closed`. */
  dispose(): void;
}

const popupClosed = (): ConnectError => new ConnectError('popup_closed', 'The popup was closed.');

/**
 * Opens a `width`×`height` popup, then posts `{session_token, attempt_id, origin}` into it
 * once `token()` resolves and waits for the result page's message or, once the popup is seen
 * closed, asks the server. Every listener, timer and request hangs off one AbortController, so
 * `dispose()` leaves nothing behind.
 *
 * Synchronous up to the popup, for the click handler: browsers block a popup opened after an
 * `await`. `token` runs once the popup is open, so a slow token provider does not lose the
 * click. `formParent` holds the short-lived form.
 *
 * @param server the server's base URL (see `parseServer`)
 * @throws {ConnectError} `popup_blocked` when the browser refused the popup
 */
export function openAttempt(
  server: URL,
  width: number,
  height: number,
  token: () => string | Promise<string>,
  formParent: ParentNode,
  handlers: AttemptHandlers,
): ConnectAttempt {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // 16 bytes are 22 base64 characters and `==`.
  const id = btoa(String.fromCharCode(...bytes))
    .slice(0, 22)
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  const target = `pingone-connect-${id}`;
  const popup = openCenteredPopup(target, width, height);
  if (!popup) throw new ConnectError('popup_blocked', 'The browser blocked the popup.');

  const abort = new AbortController();
  const { signal } = abort;
  let resolve!: (result: ConnectResult) => void;
  let reject!: (error: ConnectError) => void;
  const result = new Promise<ConnectResult>((onResult, onError) => {
    resolve = onResult;
    reject = onError;
  });
  /** Set once the form went out: without it the server never heard of this attempt. */
  let posted: string | undefined;
  let closed = false;

  /** Reports the popup closed, once; the attempt may still settle later. */
  const close = (): void => {
    if (closed) return;
    closed = true;
    reject(popupClosed());
    handlers.closed();
  };
  const settle = (outcome: Outcome): void => {
    if (signal.aborted) return;
    abort.abort();
    popup.close();
    if (outcome instanceof ConnectError) reject(outcome);
    else resolve(outcome);
    handlers.settled(outcome);
  };

  // Only a well-formed result for this attempt, from this popup, at the server's origin.
  addEventListener(
    'message',
    ({ origin, source, data }) => {
      if (origin !== server.origin || source !== popup) return;
      if (isResultMessage(data) && data.attempt_id === id) settle(outcomeOf(data));
    },
    { signal },
  );

  // A synchronous throw of `token()` becomes a rejection too.
  new Promise<string>((onToken) => onToken(token()))
    .then((value) => {
      if (!value || typeof value !== 'string') {
        throw new TypeError('tokenProvider returned no token.');
      }
      return value;
    })
    .then(
      (value) => {
        if (signal.aborted || popup.closed) return;
        postIntoPopup(formParent, new URL('oauth/connect', server), target, {
          session_token: value,
          attempt_id: id,
          origin: location.origin,
        });
        posted = value;
      },
      (cause: unknown) =>
        settle(new ConnectError('session_invalid', 'tokenProvider failed.', { cause })),
    );

  const watch = async (): Promise<void> => {
    // First look after an interval: the element holds the attempt by then.
    do {
      await timing.sleep(timing.closedCheckMs, signal);
    } while (!popup.closed);
    // Closed without a message: the user closed it, or a Cross-Origin-Opener-Policy severed it
    // while the sign-in goes on (it then reads closed too). Only the server knows which.
    const deadline = sessionDeadline(posted ?? '');
    // Without a posted form there is nothing to ask about.
    for (let polls = 1; posted; polls++) {
      const response = await fetch(new URL(`connect/attempts/${id}`, server), {
        headers: { authorization: `Bearer ${posted}` },
        credentials: 'omit',
        cache: 'no-store',
        signal,
      }).catch(() => undefined);
      // `Object()` turns a missing or non-object body into one without fields. A network or
      // CORS failure, a server error or a malformed answer all count as pending.
      const body = Object(await response?.json().catch(() => undefined)) as Record<string, unknown>;
      signal.throwIfAborted();
      const { status, connection_id, end_user_id, scopes, error } = body;
      // The server never saw this attempt: the popup closed before the form arrived.
      if (response?.status === 404) break;
      if (response?.status === 401 || response?.status === 403) {
        // The token is refused (expired, invalid): no answer will ever come. Before `close`
        // that is why the flow failed; after it, listening just stops.
        if (closed) break;
        const { code, message } = Object(error) as Record<string, unknown>;
        return settle(
          new ConnectError(
            isErrorCode(code) ? code : 'session_invalid',
            String(message ?? 'Session refused.'),
          ),
        );
      }
      // The answer passes the same strict guard as a posted result message.
      const ok = status === 'success';
      const message = {
        v: 1,
        type: RESULT_MESSAGE_TYPE,
        attempt_id: id,
        ok,
        ...(ok ? { connection_id, end_user_id, scopes } : { error }),
      };
      if (response?.ok && (ok || status === 'error') && isResultMessage(message)) {
        return settle(outcomeOf(message));
      }
      if (polls === timing.gracePolls) close();
      // After `close`, keep asking while the session lives: a severed popup may still finish.
      if (closed && Date.now() >= deadline) break;
      await timing.sleep(closed ? timing.latePollMs : timing.gracePollMs, signal);
    }
    close();
    abort.abort();
  };
  watch().catch(() => {
    // Aborted: the attempt settled or was disposed, and whoever did it reported it.
  });

  return {
    id,
    popup,
    result,
    dispose() {
      abort.abort();
      popup.close();
      reject(popupClosed());
    },
  };
}
