// Loaded when a pointer or the focus first comes to the button, or else by the first attempt
// once its popup is open (or as it leaves the page, or when it came back to it): nothing here has to run inside the click, and a page that never
// connects need not pay for it. Like a language chunk it imports nothing from the element's own
// code (only types), so that both bundles emit the same chunk and no second copy of the element
// can come in through it: the attempt hands in what it needs.
import { isAttemptStatus, isErrorCode, isResultMessage } from '@pingone-connect/protocol';
import type { Report } from './connect-result.js';
import { postForm } from './post-form.js';
import { sessionDeadline } from './session-token.js';
import { timing } from './timing.js';

/** One attempt as its `AttemptController` hands it to the flow, whichever way it goes. */
export interface Leg {
  /** The attempt id, also in the popup's name `pingone-connect-${id}`. */
  readonly id: string;
  /** The server's base URL (see `parseServer`). */
  readonly server: URL;
  /** Where the form stays while it is submitted: the host's render root. */
  readonly formParent: ParentNode;
  /** The session token; `undefined` when there is none (the attempt then failed). */
  readonly token: Promise<string | undefined>;
  /** Aborted when the attempt ends: every listener, timer and request hangs off it. */
  readonly signal: AbortSignal;
  /** The flow ended with this (validated) report. */
  settle(report: Report): void;
}

/** An attempt in a popup. */
export interface Trip extends Leg {
  readonly popup: Window;
  /** The popup closed and the server has no result yet (one may still come). */
  close(): void;
  /** Nothing more will come: stops the attempt. */
  end(): void;
}

/** An attempt that leaves the page (redirect mode, DESIGN §4.9). */
export interface Departure extends Leg {
  /** Where the server sends the browser back to, with the attempt id added. */
  readonly returnTo: string;
}

/**
 * Follows an attempt whose popup is open: listens for the result page's message, posts
 * `{session_token, attempt_id, origin}` into the popup (to `oauth/connect?attempt_id=…`) once the
 * token comes, and once the popup is seen closed without a message asks the server.
 */
export function follow(trip: Trip): void {
  if (trip.signal.aborted) return;
  listen(trip);
  const sent: Sent = {};
  void post(trip, sent);
  watch(trip, sent).catch(() => {
    // Aborted: the attempt settled or was stopped, and whoever did it reported it.
  });
}

/** Takes only a well-formed result for this attempt, from its popup, at the server's origin. */
function listen({ id, popup, server, signal, settle }: Trip): void {
  addEventListener(
    'message',
    ({ origin, source, data }) => {
      if (origin !== server.origin || source !== popup) return;
      if (isResultMessage(data) && data.attempt_id === id) settle(data);
    },
    { signal },
  );
}

/** What went into the popup: set once the form went out. */
interface Sent {
  /** Without it the server never heard of this attempt. */
  token?: string;
}

/**
 * Posts `{session_token, attempt_id, origin, ...extra}` to `oauth/connect` into `target`. The id
 * also goes in the URL: a popup whose body the server refuses unread (too large) can still post
 * its error to the opener. The token stays in the body.
 */
function postConnect(
  { id, server, formParent }: Leg,
  target: string,
  token: string,
  extra?: Record<string, string>,
): void {
  postForm(formParent, new URL(`oauth/connect?attempt_id=${id}`, server), target, {
    session_token: token,
    attempt_id: id,
    origin: location.origin,
    ...extra,
  });
}

/** Posts the form into the popup once the token comes, unless the attempt is over by then. */
async function post(trip: Trip, sent: Sent): Promise<void> {
  const value = await trip.token;
  if (!value || trip.signal.aborted || trip.popup.closed) return;
  postConnect(trip, `pingone-connect-${trip.id}`, value);
  sent.token = value;
}

/**
 * Leaves the page for PingOne once the token comes: the same form as a popup's, to the page
 * itself, with `return_to`. Nothing more happens here: the attempt goes on on the page the
 * server sends the browser back to.
 */
export async function leave(departure: Departure): Promise<void> {
  const value = await departure.token;
  if (!value || departure.signal.aborted) return;
  postConnect(departure, '_self', value, { return_to: departure.returnTo });
}

/**
 * Asks the server about an attempt that came back to the page, until it is no longer pending:
 * a few quick polls (the server usually knows by the time it sends the browser back), then slow
 * ones while the session lives. A refused token or an attempt the server does not know ends it
 * with an error, and so does a session that expires meanwhile.
 */
export async function resume(leg: Leg): Promise<void> {
  const token = await leg.token;
  if (!token) return;
  const deadline = sessionDeadline(token);
  try {
    for (let polls = 1; ; polls++) {
      const answer = await ask(leg, token, false);
      if (answer) {
        return leg.settle(
          answer !== 'gone'
            ? answer
            : { error: { code: 'invalid_request', message: 'The server knows no such attempt.' } },
        );
      }
      if (Date.now() >= deadline) {
        return leg.settle({ error: { code: 'session_expired', message: 'The session expired.' } });
      }
      await timing.sleep(
        polls < timing.gracePolls ? timing.gracePollMs : timing.latePollMs,
        leg.signal,
      );
    }
  } catch {
    // Aborted: the attempt was stopped, and whoever did it reported it.
  }
}

/**
 * Waits for the popup to close without a message, then asks the server: a few quick polls
 * before reporting `closed`, then slow ones while the session lives.
 */
async function watch(trip: Trip, sent: Sent): Promise<void> {
  const { popup, signal } = trip;
  // First look after an interval: the host holds the attempt by then.
  do {
    await timing.sleep(timing.closedCheckMs, signal);
  } while (!popup.closed);
  // Closed without a message: the user closed it, or a Cross-Origin-Opener-Policy severed it
  // while the sign-in goes on (it then reads closed too). Only the server knows which. A
  // closed popup gets no form, so the token is final.
  const { token } = sent;
  const deadline = sessionDeadline(token ?? '');
  let late = false;
  // Without a posted form there is nothing to ask about.
  for (let polls = 1; token; polls++) {
    const answer = await ask(trip, token, late);
    if (answer === 'gone') break;
    if (answer) return trip.settle(answer);
    if (polls === timing.gracePolls) {
      trip.close();
      late = true;
    }
    // After `close`, keep asking while the session lives: a severed popup may still finish.
    if (late && Date.now() >= deadline) break;
    await timing.sleep(late ? timing.latePollMs : timing.gracePollMs, signal);
  }
  trip.close();
  trip.end();
}

/**
 * Asks the server once about the attempt. A network or CORS failure, a server error or a
 * malformed answer all count as pending.
 *
 * @returns the report to settle with, `gone` when no answer will ever come, nothing while pending
 */
async function ask(
  { id, server, signal }: Leg,
  token: string,
  late: boolean,
): Promise<Report | 'gone' | undefined> {
  const response = await fetch(new URL(`connect/attempts/${id}`, server), {
    headers: { authorization: `Bearer ${token}` },
    credentials: 'omit',
    cache: 'no-store',
    signal,
  }).catch(() => undefined);
  const body: unknown = await response?.json().catch(() => undefined);
  signal.throwIfAborted();
  // `invalid_request`: the server never saw this attempt (the popup closed before the form
  // arrived, or the page came back with an id the server never issued a redirect for).
  if (response?.status === 400) return 'gone';
  if (response?.status === 401 || response?.status === 403) {
    // The token is refused (expired, invalid): no answer will ever come. Before `close` that
    // is why the flow failed; after it, listening just stops.
    if (late) return 'gone';
    // `Object()` turns a missing or non-object body or error into one without fields.
    const { code, message } = Object(Object(body).error) as Record<string, unknown>;
    return {
      error: {
        code: isErrorCode(code) ? code : 'session_invalid',
        message: String(message ?? 'Session refused.'),
      },
    };
  }
  // The answer passes a guard as strict as a posted result message's.
  if (!response?.ok || !isAttemptStatus(body) || body.status === 'pending') return undefined;
  return body;
}
