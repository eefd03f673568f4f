import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

/** The one operator account's fixed user name: the sign-in form asks for it as password managers expect. */
export const DASHBOARD_USERNAME = 'admin';

const KEY_LENGTH = 32;

function derive(input: BinaryLike, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(input, salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Checks a sign-in against `DASHBOARD_PASSWORD` (DESIGN §4.11). The configured password is
 * derived once, at start, with a random salt; each attempt is derived with the same salt and
 * compared in constant time, so the comparison leaks nothing of the password and the
 * plain password is not what is compared. The user name is checked in constant time too, and
 * after the password is derived, so a wrong user name costs the same as a wrong password.
 */
export class PasswordCheck {
  readonly #salt = randomBytes(16);
  readonly #expected: Promise<Buffer>;
  readonly #username = Buffer.from(DASHBOARD_USERNAME, 'utf8');

  constructor(password: string) {
    this.#expected = derive(password, this.#salt);
  }

  /** Whether the user name and password are the operator's. */
  async matches(username: string, password: string): Promise<boolean> {
    const [expected, given] = await Promise.all([this.#expected, derive(password, this.#salt)]);
    const passwordOk = timingSafeEqual(expected, given);
    const name = Buffer.from(username, 'utf8');
    // Compared at the length of the expected name whatever was typed, then the length checked.
    const padded = Buffer.alloc(this.#username.length);
    name.copy(padded, 0, 0, this.#username.length);
    const nameOk = timingSafeEqual(padded, this.#username) && name.length === this.#username.length;
    return passwordOk && nameOk;
  }
}
