import { timingSafeEqual } from 'node:crypto';
import { randomToken, sha256Hex } from '../crypto/random.js';
import { isId, newId } from '../ids.js';

/** A connect link's two halves: the id finds the row, the secret proves the holder. */
export interface LinkCredential {
  readonly id: string;
  /** 256 random bits, base64url; stored only as its SHA-256 (DESIGN §5.16). */
  readonly secret: string;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A fresh link credential. */
export function newLinkCredential(now: number): LinkCredential {
  return { id: newId('link', now), secret: randomToken(32) };
}

/** The `<id>.<secret>` path segment of a link, or null when it is not one this server makes. */
export function parseLink(segment: string): LinkCredential | null {
  const dot = segment.indexOf('.');
  if (dot < 0) return null;
  const id = segment.slice(0, dot);
  const secret = segment.slice(dot + 1);
  return isId('link', id) && SECRET.test(secret) ? { id, secret } : null;
}

/** The link's URL: `PUBLIC_URL/connect/links/<id>.<secret>`. */
export function linkUrl(publicUrl: string, link: LinkCredential): string {
  return `${publicUrl.replace(/\/$/, '')}/connect/links/${link.id}.${link.secret}`;
}

/** True when `secret` is the one whose digest was stored, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(sha256Hex(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
