import type { Context } from 'hono';

/** Reads the peer address of the connection a request came on; runtime specific. */
export type AddressReader = (c: Context) => string | undefined;

/**
 * Who a request counts against for rate limiting. Behind one trusted proxy (`trustProxy`), the
 * last `X-Forwarded-For` entry is the address that proxy saw; anything before it is
 * client-supplied and ignored. Without an address (tests, unknown runtimes) all requests
 * share one key.
 */
export function clientAddress(trustProxy: boolean, peer: AddressReader): (c: Context) => string {
  return (c) => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
      if (forwarded) return forwarded;
    }
    return peer(c) ?? 'unknown';
  };
}
