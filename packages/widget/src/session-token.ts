/** The longest a session lives (DESIGN §5.1), whatever a token claims. */
const MAX_SESSION_MS = 60 * 60 * 1000;
/** The server's default session lifetime, for a token whose expiry cannot be read. */
const DEFAULT_SESSION_MS = 10 * 60 * 1000;

/**
 * When the session token expires, in epoch milliseconds. The `exp` claim is read without
 * checking the signature: it only bounds how long the element keeps asking the server, which
 * checks the token itself.
 */
export function sessionDeadline(token: string, now: number = Date.now()): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const { exp } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
    };
    if (typeof exp === 'number') return Math.min(exp * 1000, now + MAX_SESSION_MS);
  } catch {
    // Not a JWT: the default below.
  }
  return now + DEFAULT_SESSION_MS;
}
