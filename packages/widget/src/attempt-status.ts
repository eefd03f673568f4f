import { isErrorCode, isResultMessage, RESULT_MESSAGE_TYPE } from '@pingone-connect/protocol';
import { ConnectError } from './connect-error.js';
import { outcomeOf, type Outcome } from './connect-result.js';

/** What the server says about an attempt whose popup closed without posting a result. */
export type AttemptStatus =
  /** Still signing in, or the server could not be asked this time: ask again later. */
  | { kind: 'pending' }
  /** The server never saw this attempt: the popup closed before the form arrived. */
  | { kind: 'unknown' }
  /** The session token was refused (expired, invalid): no answer will ever come. */
  | { kind: 'refused'; error: ConnectError }
  | { kind: 'finished'; outcome: Outcome };

/**
 * Reads `GET {server}/connect/attempts/{attempt_id}`. The answer passes the same strict guard as
 * a posted result message; a network or CORS failure, or a malformed answer, counts as pending.
 */
export async function fetchAttemptStatus(
  url: URL,
  attemptId: string,
  token: string,
  signal: AbortSignal,
): Promise<AttemptStatus> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    credentials: 'omit',
    cache: 'no-store',
    signal,
  }).catch(() => undefined);
  // `Object()` turns a missing or non-object body into one without fields.
  const body = Object((await response?.json().catch(() => undefined)) as unknown) as Record<
    string,
    unknown
  >;
  signal.throwIfAborted();
  const { status, connection_id, end_user_id, scopes, error } = body;
  const base = { v: 1, type: RESULT_MESSAGE_TYPE, attempt_id: attemptId };
  switch (response?.status) {
    case 404:
      return { kind: 'unknown' };
    case 401:
    case 403: {
      const { code, message } = Object(error) as Record<string, unknown>;
      return {
        kind: 'refused',
        error: new ConnectError(
          isErrorCode(code) ? code : 'session_invalid',
          String(message ?? 'Session refused.'),
        ),
      };
    }
    case 200: {
      const candidate =
        status === 'success'
          ? { ...base, ok: true, connection_id, end_user_id, scopes }
          : status === 'error' && { ...base, ok: false, error };
      if (isResultMessage(candidate)) return { kind: 'finished', outcome: outcomeOf(candidate) };
    }
  }
  return { kind: 'pending' };
}
