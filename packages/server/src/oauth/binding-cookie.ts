import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomToken } from '../crypto/random.js';

const NAME = 'pingone-connect-binding';
const LIFETIME_SECONDS = 10 * 60;
const VALUE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The browser-binding cookie (DESIGN §5.2): a random value set when the flow starts and
 * required when it ends, so a sign-in response only finishes in the browser that began it.
 * `HttpOnly`, `SameSite=Lax` (it must come back on PingOne's top-level redirect) and, on
 * https, `__Host-` so no sibling domain can plant one.
 */
export class BindingCookie {
  readonly #secure: boolean;
  readonly #path: string;

  /** @param publicUrl The server's public URL: https gets `__Host-`, a path prefix scopes the cookie. */
  constructor(publicUrl: string) {
    const url = new URL(publicUrl);
    this.#secure = url.protocol === 'https:';
    this.#path = this.#secure ? '/' : `${url.pathname.replace(/\/$/, '')}/oauth`;
  }

  /** The value this browser presents, if it is well-formed. */
  read(c: Context): string | undefined {
    const value = this.#secure ? getCookie(c, NAME, 'host') : getCookie(c, NAME);
    return value !== undefined && VALUE.test(value) ? value : undefined;
  }

  /**
   * The value to bind a new attempt to. A browser that already has one keeps it, so two
   * attempts started side by side in one browser do not unbind each other.
   */
  valueFor(c: Context): string {
    return this.read(c) ?? randomToken(32);
  }

  /** Sets (or refreshes) the cookie on the response. */
  set(c: Context, value: string): void {
    setCookie(c, NAME, value, {
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: LIFETIME_SECONDS,
      ...(this.#secure ? { secure: true, path: '/', prefix: 'host' } : { path: this.#path }),
    });
  }
}
