import { randomUUID } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** What PingOne says when it has nothing more specific. */
const GENERIC_DESCRIPTION = 'The request could not be completed.';

/** Ends an error description the way PingOne does: `… (Correlation ID: <uuid>)`. */
export function withCorrelationId(description: string | undefined): string {
  return `${description || GENERIC_DESCRIPTION} (Correlation ID: ${randomUUID()})`;
}

/** A PingOne-shaped OAuth error body. */
export function oauthError(
  error: string,
  description?: string,
): { error: string; error_description: string } {
  return { error, error_description: withCorrelationId(description) };
}

function isErrorBody(body: unknown): body is { error: string; error_description?: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'string'
  );
}

/**
 * Koa middleware for oidc-provider: gives every OAuth error it answers — a JSON body or an error
 * redirect to the client — PingOne's correlation id suffix. (HTML error pages get theirs from
 * the page renderer.) oidc-provider computes its error output before any hook could change it, so
 * this rewrites the finished response instead.
 */
export async function correlateErrors(
  ctx: KoaContextWithOIDC,
  next: () => Promise<void>,
): Promise<void> {
  await next();
  if (isErrorBody(ctx.body)) {
    ctx.body = { ...ctx.body, error_description: withCorrelationId(ctx.body.error_description) };
    return;
  }
  const location = ctx.status >= 300 && ctx.status < 400 ? ctx.response.get('Location') : '';
  const target = location ? URL.parse(location) : null;
  const params = target?.searchParams;
  if (target && params?.has('error')) {
    params.set(
      'error_description',
      withCorrelationId(params.get('error_description') ?? undefined),
    );
    ctx.redirect(target.href);
  }
}
