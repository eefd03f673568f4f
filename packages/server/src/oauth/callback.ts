import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ResultError } from '@pingone-connect/protocol';
import { failAttempt } from '../attempts/fail.js';
import { discardGrant } from '../connections/discard-grant.js';
import { saveConnection, sessionRefusal } from '../connections/save.js';
import type { AppEnv, Services } from '../context.js';
import { sha256Hex } from '../crypto/random.js';
import { ApiError, failureFields, recorded } from '../errors.js';
import { renderLinkPage } from '../links/page.js';
import { linkStringsFor } from '../links/strings.js';
import { callbackQuery } from '../schemas.js';
import type { AttemptRecord } from '../store/attempts.js';
import type { BindingCookie } from './binding-cookie.js';
import { renderSuccess, type PopupTarget } from './result-page.js';
import { returnUrlFor } from './return-to.js';

/**
 * How a redirect or link attempt answers once it has an outcome: a `303` back to its page
 * with only the attempt id added (the element polls for the rest), or, for a link without a
 * `return_url`, the hosted page saying how it ended. Null for a popup, which gets its result
 * page. Never the result page in redirect mode, errors included (DESIGN §4.9).
 */
function deliver(
  c: Context<AppEnv>,
  attempt: AttemptRecord,
  outcome: { ok: true } | { ok: false; error: ResultError; status: ContentfulStatusCode },
): Response | null {
  const { delivery } = attempt;
  if (delivery.mode === 'popup') return null;
  if (delivery.returnTo !== null) {
    return c.redirect(returnUrlFor(delivery.returnTo, attempt.id), 303);
  }
  const strings = linkStringsFor(c.req.header('accept-language'));
  return c.html(
    renderLinkPage(
      c.var.cspNonce,
      strings,
      outcome.ok ? { kind: 'connected' } : { kind: 'failed', error: outcome.error },
    ),
    outcome.ok ? 200 : outcome.status,
  );
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * `GET /oauth/callback`: PingOne sends the popup back here. The attempt is found by the hash
 * of `state` and claimed before anything else, so a state works once whatever happens next
 * (DESIGN §5.2, §6.2). Then: expiry, the browser-binding cookie, the response's `iss` and
 * error, the code exchange and ID-token checks, and one transaction storing the connection.
 * Every outcome after the claim is recorded on the attempt, for polling, and thrown for the
 * popup's renderer to post to the attempt's recorded origin.
 */
export function callbackHandler(
  services: Services,
  binding: BindingCookie,
): (c: Context<AppEnv>) => Promise<Response> {
  const { store, clock, cipher, logger, journal } = services;

  return async (c) => {
    // Only a line: a state that matches no attempt has nothing to file it under, and the
    // operations log is not for whatever anyone sends here. Until the attempt is claimed
    // the page reports to no one.
    const refused = (error: ApiError) => {
      logger.warn('callback.refused', failureFields(error));
      return recorded(error);
    };

    const query = callbackQuery.safeParse(c.req.query());
    if (!query.success) throw refused(new ApiError('state_mismatch'));
    const { state } = query.data;
    const attempt = await store.attempts.findByStateHash(sha256Hex(state));
    if (!attempt) throw refused(new ApiError('state_mismatch'));
    // The attempt's first outcome was already delivered: a replay reports nothing to the opener.
    // The claim is seen at once by every replica, which is what makes a code used once; its
    // commit is deferred, as a claim lost to a power cut fails closed: PingOne takes a code
    // once, and the connection's flushed save carries the claim to disk before it.
    const claimed =
      attempt.status === 'pending' &&
      (await store.transaction((trx) => trx.attempts.claim(attempt.id), {
        durability: 'deferred',
      }));
    if (!claimed) {
      await store.transaction((trx) =>
        journal.record(trx, {
          event: 'callback.replayed',
          level: 'warn',
          subject: { integrationId: attempt.integrationId, attemptId: attempt.id },
          message: 'A sign-in response was presented again and refused.',
        }),
      );
      const replayed = new ApiError('state_used');
      // The first outcome stands: a redirect attempt's page polls for it again, a link's page
      // shows it again (or `state_used` while the first callback is still exchanging).
      const delivered = deliver(
        c,
        attempt,
        attempt.status === 'success'
          ? { ok: true }
          : attempt.status === 'error'
            ? { ok: false, error: attempt.error, status: replayed.status }
            : { ok: false, error: replayed.toResultError(), status: replayed.status },
      );
      if (delivered) return delivered;
      throw recorded(replayed);
    }

    const target: PopupTarget = { attemptId: attempt.id, origin: attempt.origin };
    c.set('popupTarget', target);
    try {
      if (attempt.expiresAt <= clock()) {
        throw new ApiError('state_mismatch', 'This sign-in has expired. Start again.');
      }
      const presented = binding.read(c);
      if (presented === undefined || !sameDigest(sha256Hex(presented), attempt.bindingHash)) {
        throw new ApiError('browser_mismatch');
      }
      // The attempt's integration, never one the callback's parameters could name (§5.14).
      const { provider } = await services.integrations.get(attempt.integrationId);
      const session = await store.sessions.find(attempt.sessionJti);
      // Refused before the code is exchanged, so that no grant is made only to be dropped.
      const refusal = sessionRefusal(session);
      if (refusal || !session) throw refusal;

      const result = await provider.exchange(new URL(c.req.url).searchParams, {
        state,
        codeVerifier: await cipher.decrypt(attempt.codeVerifier),
        nonce: attempt.nonce,
        scopes: attempt.scopes,
      });
      const saved = await saveConnection(services, attempt, session, result).catch(
        async (error: unknown) => {
          // Refused after all (another account on a reconnect, a session that went meanwhile):
          // the grant PingOne just made would be left behind, so end it there.
          await discardGrant(services, attempt, result, error);
          throw error;
        },
      );
      const delivered = deliver(c, attempt, { ok: true });
      if (delivered) return delivered;
      return c.html(
        renderSuccess(c.var.cspNonce, target, {
          connectionId: saved.id,
          endUserId: session.endUser.id,
          scopes: result.scopes,
        }),
      );
    } catch (error) {
      const failure = await failAttempt(services, attempt, error);
      const delivered = deliver(c, attempt, {
        ok: false,
        error: failure.toResultError(),
        status: failure.status,
      });
      if (delivered) return delivered;
      throw recorded(failure);
    }
  };
}
