import { createHash, timingSafeEqual } from 'node:crypto';
import type { Account, AccountClaims } from 'oidc-provider';
import type { EmulatorUser } from './types.js';

/** Which claims each OpenID Connect scope releases (oidc-provider's `claims` option). */
export const CLAIMS_BY_SCOPE: Record<string, string[]> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  email: ['email', 'email_verified'],
  // The emulator's users have no address or phone number: these scopes release nothing.
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** Every claim the emulator knows about a user; oidc-provider keeps those the grant allows. */
export function userClaims(user: EmulatorUser): AccountClaims {
  return {
    sub: user.id,
    name: `${user.givenName} ${user.familyName}`,
    given_name: user.givenName,
    family_name: user.familyName,
    preferred_username: user.username,
    email: user.email,
    email_verified: true,
  };
}

/** The emulated environment's user directory. */
export class Directory {
  readonly #byId: Map<string, EmulatorUser>;
  readonly #byUsername: Map<string, EmulatorUser>;

  constructor(users: readonly EmulatorUser[]) {
    this.#byId = new Map(users.map((u) => [u.id, u]));
    this.#byUsername = new Map(users.map((u) => [u.username, u]));
  }

  /** Every user, in the order they were given. */
  all(): EmulatorUser[] {
    return [...this.#byId.values()];
  }

  byId(id: string): EmulatorUser | undefined {
    return this.#byId.get(id);
  }

  byUsername(username: string): EmulatorUser | undefined {
    return this.#byUsername.get(username);
  }

  /** The user whose username and password these are, or undefined. */
  authenticate(username: string, password: string): EmulatorUser | undefined {
    const user = this.#byUsername.get(username);
    // Demo passwords are public, but the emulator should not model a timing leak either.
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return user && timingSafeEqual(digest(user.password), digest(password)) ? user : undefined;
  }

  /**
   * oidc-provider's `findAccount`. `idTokenClaims` adds what only the ID token carries (the
   * session and environment claims); UserInfo gets the user's claims alone.
   */
  findAccount(sub: string, idTokenClaims: Record<string, unknown> = {}): Account | undefined {
    const user = this.byId(sub);
    return (
      user && {
        accountId: user.id,
        claims: (use) => ({
          ...(use === 'id_token' ? idTokenClaims : {}),
          ...userClaims(user),
        }),
      }
    );
  }
}
