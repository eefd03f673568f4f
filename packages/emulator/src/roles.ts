import type { ResolvedRoleAssignment, ResolvedUser } from './options.js';
import type { ApplicationType, PingOneRole } from './types.js';

/**
 * Who may do what at the Management API, after PingOne's "Administrator permissions and role
 * assignments":
 * https://developer.pingidentity.com/pingone-api/foundations/pingone-roles-scopes-and-permissions/administrator-permissions-and-role-assignments.html
 * "Unlike user self-service applications, administrator applications use role assignments to
 * determine the actions a user or client can perform." "Worker applications can use a user-based
 * grant type (implicit or authorization_code). With this configuration, you can assign only OIDC
 * scopes to the application. When getting a token using a user-based grant type, the user's
 * role assignments are used."
 *
 * So a token counts the user's roles only when it is a Worker application's; a Web App's token
 * has its self-service scopes and nothing more, whatever roles its user holds.
 *
 * Which built-in roles grant which reads: PingOne's role descriptions say Organization Admin's
 * permissions include "creating, editing, and deleting organizations and environments" and
 * Environment Admin's "editing environments"; Identity Data Admin's centre "around managing user
 * identities", and Identity Data Read-Only Admin reads them. The full permission tables were not
 * available to check, so the emulator takes the strict reading: only those roles grant those
 * reads, and no other role does.
 * https://docs.pingidentity.com/pingone/directory/p1_c_roles.html
 */
const ENVIRONMENT_READERS: ReadonlySet<PingOneRole> = new Set([
  'Organization Admin',
  'Environment Admin',
]);
const USER_READERS: ReadonlySet<PingOneRole> = new Set([
  'Identity Data Admin',
  'Identity Data Read-Only Admin',
]);

/** A verified token's actor, as the Management API weighs it. */
export interface Actor {
  /** Admin role assignments in force: a Worker application's user's, else none. */
  roles: readonly ResolvedRoleAssignment[];
}

export class RoleBook {
  readonly #types: ReadonlyMap<string, ApplicationType>;
  readonly #users: ReadonlyMap<string, ResolvedUser>;

  constructor(types: ReadonlyMap<string, ApplicationType>, users: readonly ResolvedUser[]) {
    this.#types = types;
    this.#users = new Map(users.map((u) => [u.id, u]));
  }

  actor(claims: { client_id?: unknown; sub?: unknown }): Actor {
    const worker =
      typeof claims.client_id === 'string' && this.#types.get(claims.client_id) === 'WORKER';
    const user = typeof claims.sub === 'string' ? this.#users.get(claims.sub) : undefined;
    return { roles: worker && user ? user.roleAssignments : [] };
  }

  /** Whether the actor may read environment `environmentId`. */
  readsEnvironment(actor: Actor, environmentId: string): boolean {
    return covers(actor, ENVIRONMENT_READERS, environmentId);
  }

  /** Whether the actor may read the users of environment `environmentId`. */
  readsUsers(actor: Actor, environmentId: string): boolean {
    return covers(actor, USER_READERS, environmentId);
  }

  /** Whether the actor holds any role that reads environments at all. */
  readsAnyEnvironment(actor: Actor): boolean {
    return actor.roles.some((r) => ENVIRONMENT_READERS.has(r.role));
  }
}

function covers(actor: Actor, roles: ReadonlySet<PingOneRole>, environmentId: string): boolean {
  return actor.roles.some(
    (r) => roles.has(r.role) && (r.scope.type === 'ORGANIZATION' || r.scope.id === environmentId),
  );
}
