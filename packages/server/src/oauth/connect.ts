import type { Context, MiddlewareHandler } from 'hono';
import * as oauth from 'oauth4webapi';
import type { AppEnv, Services } from '../context.js';
import { randomToken, sha256Hex } from '../crypto/random.js';
import { ApiError, failureFields, invalidRequest, recorded, toApiError } from '../errors.js';
import { ATTEMPT_ID, connectForm } from '../schemas.js';
import { verifySession } from '../session/verify.js';
import { describeIssues } from '../validation.js';
import type { AttemptDelivery } from '../store/attempts.js';
import type { SessionRecord } from '../store/sessions.js';
import type { Transaction } from '../store/store.js';
import type { BindingCookie } from './binding-cookie.js';
import { returnToOrigin } from './return-to.js';
import type { PopupTarget } from './result-page.js';

/** How long an attempt (and its state) lives: DESIGN §5.2. */
export const ATTEMPT_TTL_MS = 10 * 60 * 1000;

/** The form fields as posted, before validation: a failure page may still need two of them. */
async function readForm(c: Context): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}

/**
 * Where a failure at `/oauth/connect` may be reported: the attempt the element named (in the
 * form, or in the form's URL, which a refused body cannot hide) and the origin it posted from,
 * but only one of the server's allowed origins on which the form and the browser's own
 * `Origin` header (when sent) agree.
 */
export function failureTarget(
  services: Services,
  c: Context,
  form: Record<string, unknown> = {},
): PopupTarget | null {
  const originHeader = c.req.header('origin');
  const inUrl = c.req.query('attempt_id');
  const attemptId = form.attempt_id ?? inUrl;
  const origin = form.origin ?? originHeader;
  // Redirect mode has no opener to tell: its failures here are only shown (DESIGN §4.9).
  if (form.return_to !== undefined) return null;
  if (typeof attemptId !== 'string' || !ATTEMPT_ID.test(attemptId)) return null;
  if (inUrl !== undefined && inUrl !== attemptId) return null;
  if (typeof origin !== 'string' || !services.config.allowedOrigins.includes(origin)) return null;
  if (originHeader !== undefined && originHeader !== origin) return null;
  return { attemptId, origin };
}

/**
 * Reports a failure at `/oauth/connect` that comes before its form is read (too large, too
 * many requests, the wrong method) to the attempt its URL names.
 */
export function connectFailureTarget(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('popupTarget', failureTarget(services, c));
    await next();
  };
}

/** What {@link startAttempt} records: whose attempt, reporting where. */
export interface AttemptStart {
  readonly session: SessionRecord;
  readonly attemptId: string;
  /** The host page's origin (popup, redirect) or the server's own (link). */
  readonly origin: string;
  readonly delivery: AttemptDelivery;
  /** Runs first in the attempt's transaction, and throws to refuse it (a link already used). */
  readonly claim?: (trx: Transaction) => Promise<void>;
}

/**
 * Records an attempt (state stored hashed, PKCE verifier encrypted, nonce, browser-binding
 * cookie hash) and sends the browser on to PingOne with a 303.
 *
 * @throws ApiError `invalid_request` when the attempt id is taken; whatever `claim` throws.
 */
export async function startAttempt(
  services: Services,
  binding: BindingCookie,
  c: Context<AppEnv>,
  start: AttemptStart,
): Promise<Response> {
  const { store, clock, cipher, journal } = services;
  const { session, attemptId, origin, delivery } = start;
  // The session's own integration, as it is now (a PATCH on another replica included).
  const { provider } = await services.integrations.get(session.integrationId);

  const state = randomToken(32);
  const nonce = randomToken(32);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const authorizeUrl = await provider.authorizationUrl({
    state,
    nonce,
    codeVerifier,
    scopes: session.scopes,
  });
  const bindingValue = binding.valueFor(c);
  const now = clock();
  // An attempt lost to a power cut fails closed: its callback finds no state and the end user
  // signs in again. A link's use is flushed, since it is what makes the link single use.
  await store.transaction(
    async (trx) => {
      await start.claim?.(trx);
      const created = await trx.attempts.insert({
        id: attemptId,
        sessionJti: session.jti,
        integrationId: session.integrationId,
        origin,
        stateHash: sha256Hex(state),
        codeVerifier: await cipher.encrypt(codeVerifier),
        nonce,
        bindingHash: sha256Hex(bindingValue),
        scopes: session.scopes,
        delivery,
        createdAt: now,
        expiresAt: now + ATTEMPT_TTL_MS,
      });
      if (!created) throw invalidRequest('attempt_id: already used');
      await journal.record(trx, {
        event: 'attempt.started',
        level: 'info',
        subject: {
          integrationId: session.integrationId,
          endUserId: session.endUser.id,
          attemptId,
        },
        message: 'Sign-in started.',
        data: { origin, scopes: session.scopes, mode: delivery.mode },
      });
    },
    { durability: start.claim ? 'flushed' : 'deferred' },
  );

  binding.set(c, bindingValue);
  return c.redirect(authorizeUrl.toString(), 303);
}

/**
 * `POST /oauth/connect`: the element posts the session token, its attempt id and its origin
 * into the popup — or, in redirect mode, into its own tab with a `return_to` (DESIGN §4.9).
 * The session and origins are checked and the attempt starts ({@link startAttempt}).
 * Failures are thrown, for the popup's renderer to show and post to the attempt the form
 * names (redirect mode: only to show, never a redirect).
 */
export function connectHandler(
  services: Services,
  binding: BindingCookie,
): (c: Context<AppEnv>) => Promise<Response> {
  const { logger } = services;
  return async (c) => {
    const fields = await readForm(c);
    c.set('popupTarget', failureTarget(services, c, fields));
    const originHeader = c.req.header('origin');
    try {
      const parsed = connectForm.safeParse(fields);
      if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
      const form = parsed.data;
      const inUrl = c.req.query('attempt_id');
      if (inUrl !== undefined && inUrl !== form.attempt_id) {
        throw invalidRequest('attempt_id: the form and its URL name different attempts');
      }
      // A browser always names the page that posted the form; it must be the origin claimed.
      if (originHeader !== undefined && originHeader !== form.origin) {
        throw new ApiError('forbidden_origin');
      }
      const session = await verifySession(services, form.session_token);
      if (!session.allowedOrigins.includes(form.origin)) throw new ApiError('forbidden_origin');
      let delivery: AttemptDelivery = { mode: 'popup' };
      if (form.return_to !== undefined) {
        const returnOrigin = returnToOrigin(form.return_to);
        if (returnOrigin === null || !session.allowedOrigins.includes(returnOrigin)) {
          throw new ApiError(
            'forbidden_origin',
            'return_to must be a page on one of the session’s allowed origins.',
          );
        }
        delivery = { mode: 'redirect', returnTo: form.return_to };
      }
      return await startAttempt(services, binding, c, {
        session,
        attemptId: form.attempt_id,
        origin: form.origin,
        delivery,
      });
    } catch (error) {
      const failure = toApiError(error);
      // Only a line: nothing verified to file it under, and the operations log is not for
      // whatever anyone posts.
      logger[failure.status >= 500 ? 'error' : 'warn']('attempt.refused', failureFields(failure));
      throw recorded(failure);
    }
  };
}
