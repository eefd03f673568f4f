import { OIDC_SCOPES, PINGONE_API_SCOPES } from './defaults.js';
import { errors } from './quiet-oidc-provider.js';
import type { EmulatorResource } from './types.js';

/** PingOne's prefix for request validation failures. */
const VALIDATION_FAILED =
  'The request could not be completed. One or more validation errors were in the request.';

/** PingOne's words, as its documentation quotes them, for scopes of two resources in one request. */
export const MULTIPLE_RESOURCES_DESCRIPTION = `${VALIDATION_FAILED}: May not request scopes for multiple resources`;

const oidcScopes: ReadonlySet<string> = new Set(OIDC_SCOPES);

/**
 * oidc-provider's `invalid_scope`, without a `scope` member: given one, oidc-provider would echo
 * it in the error response, which PingOne does not (the type declarations insist on one).
 */
function invalidScope(description: string): Error {
  return new errors.InvalidScope(description, undefined as unknown as string);
}

/**
 * Which resource (API) each scope belongs to. PingOne has two native resources, "openid"
 * (OpenID Connect scopes, no access token audience of their own) and the PingOne API (`p1:`
 * scopes); custom resources add their own scopes. A request may address OpenID Connect plus at
 * most one other resource.
 */
export class ScopeCatalog {
  readonly #audienceOf = new Map<string, string>();
  readonly #scopesOf = new Map<string, string[]>();
  /** The PingOne API's audience: the Management API's origin. */
  readonly apiAudience: string;

  constructor(apiAudience: string, customResources: readonly EmulatorResource[]) {
    this.apiAudience = apiAudience;
    for (const { audience, scopes } of [
      { audience: apiAudience, scopes: [...PINGONE_API_SCOPES] },
      ...customResources,
    ]) {
      this.#scopesOf.set(audience, [...scopes]);
      for (const scope of scopes) this.#audienceOf.set(scope, audience);
    }
  }

  /**
   * The audience a space-separated scope list addresses, or undefined when it holds OpenID
   * Connect scopes only. Throws oidc-provider's `InvalidScope` (so the client gets
   * `error=invalid_scope` at its redirect URI) for unknown scopes and for scopes of two resources.
   *
   * No PingOne page gives the description PingOne sends for an unknown scope, so only its
   * validation prefix is PingOne's; the list of unknown scopes after it is the emulator's.
   */
  audienceFor(scope: string | undefined): string | undefined {
    const requested = (scope ?? '').split(' ').filter((s) => s !== '' && !oidcScopes.has(s));
    const unknown = requested.filter((s) => !this.#audienceOf.has(s));
    if (unknown.length > 0) {
      throw invalidScope(`${VALIDATION_FAILED}: Unknown scopes: ${unknown.join(' ')}`);
    }
    const audiences = new Set(requested.map((s) => this.#audienceOf.get(s)));
    if (audiences.size > 1) throw invalidScope(MULTIPLE_RESOURCES_DESCRIPTION);
    return audiences.values().next().value;
  }

  /**
   * The audience of a Worker application's request: always the PingOne API, whose role-based
   * access its token carries. "Worker applications can use a user-based grant type (implicit or
   * authorization_code). With this configuration, you can assign only OIDC scopes to the
   * application." (administrator-permissions-and-role-assignments). No page gives PingOne's
   * wording for a Worker asking for more, so after the validation prefix the words are the
   * emulator's.
   */
  workerAudienceFor(scope: string | undefined): string {
    const requested = (scope ?? '').split(' ').filter((s) => s !== '' && !oidcScopes.has(s));
    if (requested.length > 0) {
      throw invalidScope(
        `${VALIDATION_FAILED}: A Worker application may request OpenID Connect scopes only: ${requested.join(' ')}`,
      );
    }
    return this.apiAudience;
  }

  /** The scopes of a resource, or undefined for an audience the environment does not have. */
  scopesOf(audience: string): readonly string[] | undefined {
    return this.#scopesOf.get(audience);
  }
}
