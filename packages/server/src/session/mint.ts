import { SignJWT } from 'jose';
import type { Integration } from '../config.js';
import type { Services } from '../context.js';
import { ApiError, invalidRequest } from '../errors.js';
import { sha256Hex } from '../crypto/random.js';
import { newId } from '../ids.js';
import { linkUrl, newLinkCredential } from '../links/credential.js';
import { returnToOrigin } from '../oauth/return-to.js';
import type { CreateSessionBody } from '../schemas.js';
import type { SessionRecord } from '../store/sessions.js';
import { sessionSigningKey } from './signing-key.js';

/** The `aud` of every connect session token: it is good for nothing else. */
export const SESSION_AUDIENCE = 'pingone-connect:connect-session';

/** A freshly minted session: the token goes to the element, the rest to the integrator. */
export interface MintedSession {
  readonly token: string;
  readonly jti: string;
  /** When the token expires. */
  readonly expiresAt: number;
  /** With `link`: the hosted connect page's URL (it carries the link's secret). */
  readonly connectLink?: string;
}

/** A link's default life (DESIGN §4.9). */
const LINK_DEFAULT_SECONDS = 24 * 3600;

/** The link's `return_url`, refused unless its origin is one of `ALLOWED_ORIGINS` (§5.16). */
function linkReturnUrl(services: Services, returnUrl: string | undefined): string | null {
  if (returnUrl === undefined) return null;
  const origin = returnToOrigin(returnUrl);
  if (origin === null || !services.config.allowedOrigins.includes(origin)) {
    throw new ApiError(
      'forbidden_origin',
      'link.return_url must be a page on one of the server’s ALLOWED_ORIGINS.',
    );
  }
  return returnUrl;
}

/**
 * The integration a session is for: the one it names, which may be left out only when the
 * server has exactly one (configured or made through the API).
 *
 * @throws ApiError `integration_not_found` for an id the server does not have,
 *   `invalid_request` when none is named and there is not exactly one.
 */
export async function resolveIntegration(
  services: Services,
  id: string | undefined,
): Promise<Integration> {
  if (id !== undefined) return (await services.integrations.get(id)).integration;
  const only = await services.integrations.only();
  if (!only) {
    throw invalidRequest(
      'integration_id is required unless the server has exactly one integration',
    );
  }
  return only.integration;
}

/** Checks the session's narrowing of origins and scopes against what the server allows. */
function narrow(services: Services, integration: Integration, body: CreateSessionBody) {
  const allowedOrigins = body.allowed_origins ?? services.config.allowedOrigins;
  if (!allowedOrigins.every((origin) => services.config.allowedOrigins.includes(origin))) {
    throw new ApiError(
      'forbidden_origin',
      'allowed_origins must be a subset of the server’s ALLOWED_ORIGINS.',
    );
  }
  const scopes = body.scopes ?? integration.scopes;
  if (!scopes.every((scope) => integration.scopes.includes(scope))) {
    throw invalidRequest('scopes: must be a subset of the integration’s scopes');
  }
  if (!scopes.includes('openid')) throw invalidRequest('scopes: must include openid');
  return { allowedOrigins: [...new Set(allowedOrigins)], scopes: [...new Set(scopes)] };
}

/**
 * Mints a connect session (DESIGN §5.1): an HS256 JWT carrying only `iss`, `aud`, `sub`,
 * `jti`, `iat` and `exp`, and a `sessions` row holding everything else, which the flow reads
 * back by `jti`. A reconnect session names a connection of the same end user and integration.
 */
export async function mintSession(
  services: Services,
  body: CreateSessionBody,
): Promise<MintedSession> {
  const { config, store, clock, journal } = services;
  const integration = await resolveIntegration(services, body.integration_id);
  const { allowedOrigins, scopes } = narrow(services, integration, body);
  const returnUrl = linkReturnUrl(services, body.link?.return_url);

  if (body.connection_id !== undefined) {
    const existing = await store.connections.find(body.connection_id);
    if (
      !existing ||
      existing.endUser.id !== body.end_user.id ||
      existing.integrationId !== integration.id
    ) {
      throw new ApiError(
        'connection_not_found',
        'connection_id: no such connection for this end user and integration.',
      );
    }
  }

  const now = clock();
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = (issuedAt + config.sessionTtlSeconds) * 1000;
  const jti = newId('sess', now);
  const link = body.link && {
    credential: newLinkCredential(now),
    expiresAt: now + (body.link.expires_in ?? LINK_DEFAULT_SECONDS) * 1000,
  };
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(config.publicUrl)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(body.end_user.id)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt / 1000)
    .sign(await sessionSigningKey(config.sessionSigningKey));

  const session: SessionRecord = {
    jti,
    integrationId: integration.id,
    endUser: {
      id: body.end_user.id,
      email: body.end_user.email ?? null,
      displayName: body.end_user.display_name ?? null,
    },
    organization: body.organization
      ? { id: body.organization.id, displayName: body.organization.display_name ?? null }
      : null,
    allowedOrigins,
    scopes,
    connectionId: body.connection_id ?? null,
    createdAt: now,
    // A link outlives the token: its flow starts from the link, without one, so the session
    // stays open as long as the link while each token still lasts SESSION_TTL_SECONDS (§5.1).
    expiresAt: link ? Math.max(expiresAt, link.expiresAt) : expiresAt,
    consumedAt: null,
    revokedAt: null,
  };
  // A session lost to a power cut fails closed: its token is refused and the backend mints
  // another. A link's is flushed: by then the link may have gone out in an email.
  await store.transaction(
    async (trx) => {
      await trx.sessions.insert(session);
      if (link) {
        await trx.links.insert({
          id: link.credential.id,
          sessionJti: jti,
          secretHash: sha256Hex(link.credential.secret),
          returnUrl,
          createdAt: now,
          expiresAt: link.expiresAt,
          usedAt: null,
          attemptId: null,
          revokedAt: null,
        });
      }
      await journal.record(trx, {
        event: 'session.created',
        level: 'info',
        subject: {
          integrationId: integration.id,
          endUserId: session.endUser.id,
          connectionId: session.connectionId,
        },
        message: body.connection_id ? 'Reconnect session created.' : 'Connect session created.',
        data: {
          jti,
          expires_at: new Date(expiresAt).toISOString(),
          ...(link
            ? {
                link_id: link.credential.id,
                link_expires_at: new Date(link.expiresAt).toISOString(),
              }
            : {}),
        },
      });
    },
    { durability: link ? 'flushed' : 'deferred' },
  );
  return {
    token,
    jti,
    expiresAt,
    ...(link ? { connectLink: linkUrl(config.publicUrl, link.credential) } : {}),
  };
}
