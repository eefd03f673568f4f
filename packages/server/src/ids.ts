import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 in lower case. Digits and lower-case letters sort the same under a
 * byte-wise (SQLite) and a linguistic (PostgreSQL) collation, so ids sort by time in both.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10; // 50 bits: milliseconds until the year 37 000
const RANDOM_CHARS = 16; // 80 bits

/** The kinds of ids the server issues. */
export type IdPrefix = 'conn' | 'sess' | 'log' | 'evt';

/** A prefixed id, e.g. `conn_01hx…`. */
export type PrefixedId<P extends IdPrefix> = `${P}_${string}`;

/**
 * A new prefixed, time-ordered id: the creation time in milliseconds then 80 random bits,
 * so that ids sort by creation and cursors can page on them.
 */
export function newId<P extends IdPrefix>(prefix: P, now: number = Date.now()): PrefixedId<P> {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < TIME_CHARS; i += 1) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  const bytes = randomBytes(RANDOM_CHARS);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return `${prefix}_${time}${random}`;
}

/** True when `value` has the shape of an id {@link newId} issues with `prefix`. */
export function isId<P extends IdPrefix>(prefix: P, value: string): value is PrefixedId<P> {
  return new RegExp(`^${prefix}_[${ALPHABET}]{${TIME_CHARS + RANDOM_CHARS}}$`).test(value);
}
