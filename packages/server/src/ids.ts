import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 in lower case. Digits and lower-case letters sort the same under a
 * byte-wise (SQLite) and a linguistic (PostgreSQL) collation, so ids sort by time in both.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10; // 50 bits: milliseconds until the year 37 000
const RANDOM_CHARS = 16; // 80 bits

/** The kinds of ids the server issues. */
export type IdPrefix = 'conn' | 'sess' | 'log' | 'evt' | 'att' | 'link' | 'whd';

/** A prefixed id, e.g. `conn_01hx…`. */
export type PrefixedId<P extends IdPrefix> = `${P}_${string}`;

const RANDOM_MASK = (1n << BigInt(RANDOM_CHARS * 5)) - 1n;

function encode(value: bigint, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i += 1) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

// The last id's time and random part: ids made in the same millisecond count up from it, so
// that rows written together (a connection and its log lines) list in the order they were made.
let last = { time: -1, random: 0n };

/**
 * A new prefixed, time-ordered id: the creation time in milliseconds then 80 bits, random for
 * the first id of a millisecond and counting up after it, so that ids sort by creation and
 * cursors can page on them.
 */
export function newId<P extends IdPrefix>(prefix: P, now: number = Date.now()): PrefixedId<P> {
  const time = Math.floor(now);
  const random =
    time === last.time
      ? (last.random + 1n) & RANDOM_MASK
      : BigInt(`0x${randomBytes((RANDOM_CHARS * 5) / 8).toString('hex')}`);
  last = { time, random };
  return `${prefix}_${encode(BigInt(time), TIME_CHARS)}${encode(random, RANDOM_CHARS)}`;
}

/** The shape of the ids {@link newId} issues with one of `prefixes`, e.g. for a schema. */
export function idPattern(...prefixes: readonly IdPrefix[]): RegExp {
  return new RegExp(`^(?:${prefixes.join('|')})_[${ALPHABET}]{${TIME_CHARS + RANDOM_CHARS}}$`);
}

/** True when `value` has the shape of an id {@link newId} issues with `prefix`. */
export function isId<P extends IdPrefix>(prefix: P, value: string): value is PrefixedId<P> {
  return idPattern(prefix).test(value);
}
