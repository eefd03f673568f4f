import type { KoaContextWithOIDC } from 'oidc-provider';
import type { EmulatorFaults } from './types.js';

/** Drops `iss` from a redirect URL's query and fragment. */
function withoutIss(location: string): string {
  const url = URL.parse(location);
  if (!url) return location;
  url.searchParams.delete('iss');
  if (url.hash.length > 1) {
    const fragment = new URLSearchParams(url.hash.slice(1));
    fragment.delete('iss');
    url.hash = fragment.toString();
  }
  return url.href;
}

/**
 * Koa middleware for oidc-provider, which always sends RFC 9207's `iss` authorization response
 * parameter and advertises it. No PingOne page shows PingOne sending it, so unless the
 * `authorizationResponseIss` switch is on, the emulator removes it from the authorization
 * response (query, fragment or form_post) and from discovery
 * (`authorization_response_iss_parameter_supported`, which RFC 9207 reads as false when absent).
 */
export function issParameter(faults: EmulatorFaults) {
  return async function authorizationResponseIss(
    ctx: KoaContextWithOIDC,
    next: () => Promise<void>,
  ): Promise<void> {
    await next();
    if (faults.authorizationResponseIss) return;
    const route = ctx.oidc?.route;
    if (route === 'discovery') {
      const body = ctx.body as Record<string, unknown> | undefined;
      if (body) delete body.authorization_response_iss_parameter_supported;
      return;
    }
    if (route !== 'authorization' && route !== 'resume') return;
    const location = ctx.response.get('Location');
    if (location) ctx.response.set('Location', withoutIss(location));
    if (typeof ctx.body === 'string' && ctx.body.includes('name="iss"')) {
      ctx.body = ctx.body.replace(/<input type="hidden" name="iss" value="[^"]*"\/>\n?/g, '');
    }
  };
}
