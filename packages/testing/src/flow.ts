// The connect flow as the element and a browser make it, with no browser: mint a session with
// the secret key, post `/oauth/connect` as the popup's form, sign in and consent at the
// emulator, come back to the callback with the browser-binding cookie. One implementation for
// an app driven through `app.request()` and a server listening on a port: the target's `fetch`
// is either, and redirects are never followed.
import { randomBytes } from 'node:crypto';

/** `app.request` or the global `fetch`. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** The emulator's headless sign-in (an `Emulator` is one). */
export interface ApprovingEmulator {
  approve(authorizeUrl: string | URL, options?: { username?: string }): Promise<URL>;
}

/** The server a flow runs against. */
export interface FlowTarget {
  /** How requests reach the server. */
  readonly fetch: FetchLike;
  /** Its public URL, base path included (`PUBLIC_URL`); paths are appended to it. */
  readonly baseUrl: string;
  readonly emulator: ApprovingEmulator;
  /** A backend secret key (`SECRET_KEYS`). */
  readonly secretKey: string;
  /** The host page's origin, one of `ALLOWED_ORIGINS`. */
  readonly origin: string;
}

/** What `POST /connect/sessions` answers. */
export interface MintedSession {
  token: string;
  jti: string;
  expires_at: string;
}

/** A started attempt: where PingOne is, and what the browser holds. */
export interface StartedAttempt {
  attemptId: string;
  authorizeUrl: URL;
  cookie: string;
}

/** Signed in at the emulator: the browser is about to arrive at `callbackUrl` with `cookie`. */
export interface SignedIn extends StartedAttempt {
  /** The session token the attempt used. */
  token: string;
  callbackUrl: URL;
}

/** A finished flow: the callback's answer (the result page), unread. */
export interface ConnectedFlow extends SignedIn {
  response: Response;
}

/** Options of {@link signIn} and {@link connectFlow}. */
export interface SignInOptions {
  /** Use this session token instead of minting one… */
  token?: string;
  /** …or mint with this body (default end user `user-1`). */
  session?: Record<string, unknown>;
  attemptId?: string;
  /** The origin the element claims; default the target's. */
  origin?: string;
  /** Who signs in at the emulator; default its demo user. */
  username?: string;
}

/** A fresh attempt id, as the element makes them. */
export function newAttemptId(): string {
  return `att_${randomBytes(12).toString('base64url')}`;
}

async function failure(step: string, response: Response): Promise<Error> {
  const body = await response.text().catch(() => '');
  return new Error(`${step} answered ${response.status}: ${body.slice(0, 500)}`);
}

/** `POST /connect/sessions` with the secret key; throws unless it answers 201. */
export async function mintSession(
  target: FlowTarget,
  body: Record<string, unknown> = { end_user: { id: 'user-1' } },
): Promise<MintedSession> {
  const response = await target.fetch(`${target.baseUrl}/connect/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw await failure('POST /connect/sessions', response);
  return (await response.json()) as MintedSession;
}

/** Posts the popup's `/oauth/connect` form for `token`; throws unless it answers 303. */
export async function startAttempt(
  target: FlowTarget,
  token: string,
  options: { attemptId?: string; origin?: string } = {},
): Promise<StartedAttempt> {
  const attemptId = options.attemptId ?? newAttemptId();
  const origin = options.origin ?? target.origin;
  const response = await target.fetch(`${target.baseUrl}/oauth/connect`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ session_token: token, attempt_id: attemptId, origin }).toString(),
  });
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw await failure('POST /oauth/connect', response);
  await response.body?.cancel();
  return {
    attemptId,
    authorizeUrl: new URL(location),
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
  };
}

/** Mints a session (unless given a token), starts an attempt and signs in at the emulator. */
export async function signIn(target: FlowTarget, options: SignInOptions = {}): Promise<SignedIn> {
  const token = options.token ?? (await mintSession(target, options.session)).token;
  const attempt = await startAttempt(target, token, {
    ...(options.attemptId ? { attemptId: options.attemptId } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const callbackUrl = await target.emulator.approve(
    attempt.authorizeUrl,
    options.username ? { username: options.username } : {},
  );
  return { ...attempt, token, callbackUrl };
}

/** A whole flow: {@link signIn}, then the browser's arrival at the callback with its cookie. */
export async function connectFlow(
  target: FlowTarget,
  options: SignInOptions = {},
): Promise<ConnectedFlow> {
  const signedIn = await signIn(target, options);
  const response = await target.fetch(signedIn.callbackUrl.toString(), {
    redirect: 'manual',
    headers: signedIn.cookie ? { cookie: signedIn.cookie } : {},
  });
  return { ...signedIn, response };
}
