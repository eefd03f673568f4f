import type { KoaContextWithOIDC } from 'oidc-provider';
import type { RefreshHold, RefreshHoldOptions } from './types.js';

/** How a held request ends: answered, or dropped because the emulator closed. */
type Outcome = 'released' | 'closed';

const NAME = 'faults.holdRefreshAfterRotation';

function requestCount(options: unknown): number {
  if (options === undefined) return 1;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${NAME}: options must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'requests') throw new TypeError(`${NAME}: ${key} is not an option`);
  }
  const { requests = 1 } = options as { requests?: unknown };
  if (!Number.isSafeInteger(requests) || (requests as number) < 1) {
    throw new TypeError(`${NAME}: requests must be a whole number ≥ 1`);
  }
  return requests as number;
}

/** One armed hold: the requests it holds and the promise a test waits on. */
class Hold implements RefreshHold {
  readonly held: Promise<void>;
  readonly #limit: number;
  readonly #waiting: ((outcome: Outcome) => void)[] = [];
  readonly #onEnd: () => void;
  #settle!: { resolve: () => void; reject: (error: Error) => void };
  #settled = false;
  #ended = false;

  constructor(limit: number, onEnd: () => void) {
    this.#limit = limit;
    this.#onEnd = onEnd;
    this.held = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
    // A test that never awaits `held` must not fail on an unhandled rejection.
    this.held.catch(() => {});
  }

  /** Takes one more request if there is room: the wait for its release, or undefined. */
  take(): Promise<Outcome> | undefined {
    if (this.#ended || this.#waiting.length >= this.#limit) return undefined;
    const outcome = new Promise<Outcome>((resolve) => this.#waiting.push(resolve));
    if (this.#waiting.length === this.#limit) {
      this.#settled = true;
      this.#settle.resolve();
    }
    return outcome;
  }

  release(): void {
    this.end('released');
  }

  end(outcome: Outcome): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const resume of this.#waiting) resume(outcome);
    if (!this.#settled) {
      const why = outcome === 'closed' ? 'the emulator closed' : 'the hold was released';
      this.#settle.reject(
        new Error(`${NAME}: ${why} with ${this.#waiting.length} of ${this.#limit} refreshes held`),
      );
    }
    this.#onEnd();
  }
}

/** The emulator's refresh holds: at most one armed at a time. */
export class RefreshHolds {
  #armed: Hold | undefined;
  #closed = false;

  arm(options?: RefreshHoldOptions): RefreshHold {
    const limit = requestCount(options);
    if (this.#armed) throw new TypeError(`${NAME}: a hold is armed already; release it first`);
    const hold = new Hold(limit, () => {
      if (this.#armed === hold) this.#armed = undefined;
    });
    if (this.#closed) hold.end('closed');
    else this.#armed = hold;
    return hold;
  }

  /** For a refresh that has rotated: the wait for its release, or undefined when none holds it. */
  take(): Promise<Outcome> | undefined {
    return this.#armed?.take();
  }

  /** Ends the armed hold: held requests are dropped, and no new hold will ever hold one. */
  close(): void {
    this.#closed = true;
    this.#armed?.end('closed');
  }
}

/**
 * Koa middleware for oidc-provider: after the token endpoint has run a refresh_token grant that
 * rotated the refresh token, and before Koa writes the answer, waits while a hold keeps the
 * request.
 */
export function holdRotatedRefreshes(holds: RefreshHolds) {
  return async function holdRotatedRefresh(
    ctx: KoaContextWithOIDC,
    next: () => Promise<void>,
  ): Promise<void> {
    await next();
    if (ctx.oidc?.route !== 'token' || !ctx.oidc.entities.RotatedRefreshToken) return;
    if ((await holds.take()) === 'closed') {
      // No answer, as from a server that went away; the emulator drops the socket anyway.
      ctx.respond = false;
      ctx.res.destroy();
    }
  };
}
