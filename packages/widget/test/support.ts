// Helpers for the element's browser tests. They drive real popups against the fake server of
// fake-server.js and wait for explicit signals (events, messages, server records), never
// for a fixed time. They do not register the element: a test file imports `src/define.ts`, or a
// built bundle (describe-bundle.ts).
import { fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { RESULT_MESSAGE_TYPE, type ResultMessage } from '@pingone-connect/protocol';
import type { PingOneConnect } from '../src/pingone-connect.js';
import { timing } from '../src/timing.js';

declare global {
  interface Window {
    /** Set by the test page (web-test-runner.config.js). */
    fakeServer: { origin: string; otherOrigin: string };
  }
}

/** The fake pingone-connect server. */
export const server = window.fakeServer.origin;
/** Another loopback origin serving the same pages: a foreign site. */
export const otherOrigin = window.fakeServer.otherOrigin;

/** An opaque session token, unique per call. */
export function sessionToken(): string {
  return `st_${crypto.randomUUID()}`;
}

/** One call of `window.open` as the element made it, with what it returned. */
export interface OpenCall {
  url: string | URL | undefined;
  name: string | undefined;
  features: string | undefined;
  popup: Window | null;
}

/**
 * Records every `window.open` of each test while keeping the real behaviour (real popups), and
 * closes the popups a test leaves open.
 */
export function recordWindowOpen(): OpenCall[] {
  const calls: OpenCall[] = [];
  const realOpen = window.open;
  beforeEach(() => {
    calls.length = 0;
    window.open = (url, name, features) => {
      const popup = realOpen.call(window, url, name, features);
      calls.push({ url, name, features, popup });
      return popup;
    };
  });
  afterEach(() => {
    window.open = realOpen;
    for (const { popup } of calls) popup?.close();
  });
  return calls;
}

/** Shortens the element's intervals for the whole file; tests wait for events, not for time. */
export function useFastTiming(): void {
  const saved = { ...timing };
  before(() =>
    Object.assign(timing, { closedCheckMs: 10, gracePolls: 3, gracePollMs: 10, latePollMs: 10 }),
  );
  after(() => Object.assign(timing, saved));
}

/** Counts the element's pending sleeps (its only timers) while a test runs. */
export function countSleeps(): { readonly pending: number } {
  const realSleep = timing.sleep;
  const counter = { pending: 0 };
  beforeEach(() => {
    counter.pending = 0;
    timing.sleep = (ms, signal) => {
      counter.pending += 1;
      return realSleep(ms, signal).finally(() => {
        counter.pending -= 1;
      });
    };
  });
  afterEach(() => {
    timing.sleep = realSleep;
  });
  return counter;
}

/** A `<pingone-connect>` pointed at the fake server, with a session token. */
export function connectElement(): Promise<PingOneConnect> {
  return fixture<PingOneConnect>(
    html`<pingone-connect server=${server} session-token=${sessionToken()}></pingone-connect>`,
  );
}

/** The element's button, in its shadow root. */
export function buttonOf(element: PingOneConnect): HTMLButtonElement {
  const button = element.shadowRoot?.querySelector('button');
  if (!button) throw new Error('no button rendered');
  return button;
}

/** An attempt the element started: its id and its (real) popup. */
export interface StartedAttempt {
  id: string;
  popup: Window;
  /** What `connect()` returned, already guarded against an unhandled rejection. */
  result: Promise<unknown>;
}

/** Calls `connect()` as a click would and waits until the form reached the fake server. */
export async function startAttempt(
  element: PingOneConnect,
  calls: OpenCall[],
): Promise<StartedAttempt> {
  const started = oneEvent(element, 'pingone-connect-start');
  const result = element.connect();
  result.catch(() => {});
  const { detail } = await started;
  const popup = calls.at(-1)?.popup;
  if (!popup) throw new Error('the element opened no popup');
  await postedForm(detail.attempt_id);
  return { id: detail.attempt_id, popup, result };
}

/**
 * Starts an attempt on a fresh element, closes its popup as the user would and waits for
 * `pingone-connect-close`: the element now listens for a late result.
 */
export async function closedAttempt(
  calls: OpenCall[],
): Promise<{ element: PingOneConnect; attempt: StartedAttempt }> {
  const element = await connectElement();
  const attempt = await startAttempt(element, calls);
  const closed = oneEvent(element, 'pingone-connect-close');
  attempt.popup.close();
  await closed;
  return { element, attempt };
}

/** What `promise` rejected with; fails if it resolved. */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** What the fake server recorded of the form POST of an attempt; waits until it arrives. */
export async function postedForm(
  attemptId: string,
): Promise<{ url: string; contentType: string; origin: string; fields: Record<string, string> }> {
  const response = await fetch(`${server}/__test/attempts/${attemptId}/post`);
  if (!response.ok) throw new Error(`no form POST for attempt ${attemptId}`);
  return response.json();
}

/**
 * Sets what `GET /connect/attempts/:id` answers from now on; returns how many polls the server
 * had handled before, so that `pollsAfter()` can wait for one that got the new answer.
 */
export async function answerAttempt(
  attemptId: string,
  status: number,
  body: unknown,
): Promise<number> {
  const response = await fetch(`${server}/__test/attempts/${attemptId}`, {
    method: 'POST',
    body: JSON.stringify({ status, body }),
  });
  if (!response.ok) throw new Error('the fake server refused the answer');
  return ((await response.json()) as { polls: number }).polls;
}

/** Waits until the element polled the attempt more than `after` times; returns the count. */
export async function pollsAfter(attemptId: string, after: number): Promise<number> {
  const response = await fetch(`${server}/__test/attempts/${attemptId}/polls?after=${after}`);
  if (!response.ok) throw new Error(`attempt ${attemptId} was not polled`);
  return ((await response.json()) as { polls: number }).polls;
}

/** A success message for the attempt, as the real result page posts it. */
export function successMessage(attemptId: string): ResultMessage {
  return {
    v: 1,
    type: RESULT_MESSAGE_TYPE,
    attempt_id: attemptId,
    ok: true,
    connection_id: 'conn_01J9ZQ4K8M',
    end_user_id: 'user-42',
    scopes: ['openid', 'profile', 'p1:read:user'],
  };
}

/** A failure message for the attempt; `error` is not checked, so that tests can send bad ones. */
export function failureMessage(attemptId: string, error: unknown): Record<string, unknown> {
  return { v: 1, type: RESULT_MESSAGE_TYPE, attempt_id: attemptId, ok: false, error };
}

/** The URL of a page that posts `payload` to its opener (or parent) and closes itself. */
export function resultPageUrl(
  payload: unknown,
  {
    origin = server,
    as = 'json',
    to = 'opener',
    close = true,
  }: { origin?: string; as?: 'json' | 'string'; to?: 'opener' | 'parent'; close?: boolean } = {},
): string {
  const query = new URLSearchParams({
    payload: as === 'string' ? String(payload) : JSON.stringify(payload),
    as,
    to,
    close: close ? '1' : '0',
    target: location.origin,
  });
  return `${origin}/result?${query}`;
}

/** Resolves with the next `message` event on this window that `accept` takes. */
export function nextMessage(accept: (event: MessageEvent) => boolean): Promise<MessageEvent> {
  return new Promise((resolve) => {
    const listener = (event: MessageEvent): void => {
      if (!accept(event)) return;
      window.removeEventListener('message', listener);
      resolve(event);
    };
    window.addEventListener('message', listener);
  });
}

/** Records the events the element dispatches, by type. */
export function recordEvents(element: PingOneConnect): Event[] {
  const events: Event[] = [];
  for (const type of [
    'pingone-connect-start',
    'pingone-connect-success',
    'pingone-connect-error',
    'pingone-connect-close',
  ]) {
    element.addEventListener(type, (event) => events.push(event));
  }
  return events;
}

/** What the element shows, button label and status line, read as one line. */
export function textOf(element: PingOneConnect): string {
  return element.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** What the chunk gate of test/chunk-gate.js does with the requests for a path. */
export type GateAction = 'hold' | 'fail' | 'open';

/** Holds back (`hold`), refuses (`fail`) or lets through (`open`) the answer for `path`. */
export async function gateChunk(path: string, action: GateAction): Promise<void> {
  await executeServerCommand('chunk-gate', { path, action });
}

/** `gateChunk` for the chunk of `lang`'s text as the element's source loads it. */
export function languageChunk(lang: string, action: GateAction): Promise<void> {
  // The test server serves the TypeScript source under its own name.
  return gateChunk(new URL(`../src/strings/${lang}.ts`, import.meta.url).pathname, action);
}

/** `gateChunk` for the chunk of the attempt flow as the element's source loads it. */
export function attemptFlowChunk(action: GateAction): Promise<void> {
  return gateChunk(new URL('../src/attempt-flow.ts', import.meta.url).pathname, action);
}
