import { RefreshHolds } from './refresh-hold.js';
import type { EmulatorFaults, EmulatorLiveFaults } from './types.js';

/** setTimeout's ceiling; a longer delay would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const FAULTS_OFF: EmulatorFaults = {
  tokenDelayMs: 0,
  tokenFailStatus: null,
  apiRateLimit: null,
  tokenRateLimit: null,
  coopOnSignIn: false,
  authorizationResponseIss: false,
};

function checkDelay(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_DELAY_MS) {
    throw new TypeError(`faults.tokenDelayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  return value as number;
}

function checkFailStatus(value: unknown): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 500 || (value as number) > 599) {
    throw new TypeError('faults.tokenFailStatus must be null or a 5xx status');
  }
  return value as number;
}

function checkRateLimit(value: unknown, name: string): { retryAfter: number } | null {
  if (value === null) return null;
  const retryAfter = (value as { retryAfter?: unknown } | undefined)?.retryAfter;
  if (!Number.isInteger(retryAfter) || (retryAfter as number) < 0) {
    throw new TypeError(`faults.${name} must be null or { retryAfter: <whole seconds ≥ 0> }`);
  }
  return Object.freeze({ retryAfter: retryAfter as number });
}

function checkFlag(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`faults.${name} must be a boolean`);
  return value;
}

/** The refresh holds behind each live faults object, for the token endpoint to consult. */
const HOLDS = new WeakMap<EmulatorFaults, RefreshHolds>();

/** The refresh holds that `faults.holdRefreshAfterRotation()` arms. */
export function refreshHoldsOf(faults: EmulatorFaults): RefreshHolds {
  const holds = HOLDS.get(faults);
  if (!holds) throw new TypeError('faults were not made by createFaults');
  return holds;
}

/**
 * The live fault switches. Tests flip them while the emulator runs, so every write is checked
 * and a bad value throws `TypeError` at the line that wrote it, not at some later request.
 * Holds are armed by a method rather than a switch: each one is a handle with its own signals.
 */
export function createFaults(initial: Partial<EmulatorFaults> = {}): EmulatorLiveFaults {
  const state = { ...FAULTS_OFF };
  const holds = new RefreshHolds();
  const switches = {
    get tokenDelayMs() {
      return state.tokenDelayMs;
    },
    set tokenDelayMs(value: number) {
      state.tokenDelayMs = checkDelay(value);
    },
    get tokenFailStatus() {
      return state.tokenFailStatus;
    },
    set tokenFailStatus(value: number | null) {
      state.tokenFailStatus = checkFailStatus(value);
    },
    get apiRateLimit() {
      return state.apiRateLimit;
    },
    set apiRateLimit(value: { retryAfter: number } | null) {
      state.apiRateLimit = checkRateLimit(value, 'apiRateLimit');
    },
    get tokenRateLimit() {
      return state.tokenRateLimit;
    },
    set tokenRateLimit(value: { retryAfter: number } | null) {
      state.tokenRateLimit = checkRateLimit(value, 'tokenRateLimit');
    },
    get coopOnSignIn() {
      return state.coopOnSignIn;
    },
    set coopOnSignIn(value: boolean) {
      state.coopOnSignIn = checkFlag(value, 'coopOnSignIn');
    },
    get authorizationResponseIss() {
      return state.authorizationResponseIss;
    },
    set authorizationResponseIss(value: boolean) {
      state.authorizationResponseIss = checkFlag(value, 'authorizationResponseIss');
    },
  };
  // Not enumerable: the faults object still lists (and compares as) its switch values only.
  Object.defineProperty(switches, 'holdRefreshAfterRotation', {
    value: (options?: unknown) => holds.arm(options as never),
  });
  const faults = Object.seal(switches) as EmulatorLiveFaults;
  HOLDS.set(faults, holds);
  if (initial === null || typeof initial !== 'object') {
    throw new TypeError('faults must be an object');
  }
  for (const key of Object.keys(initial) as (keyof EmulatorFaults)[]) {
    if (!(key in FAULTS_OFF)) throw new TypeError(`faults.${String(key)} is not a fault switch`);
    const value = initial[key];
    if (value !== undefined) (faults as unknown as Record<string, unknown>)[key] = value;
  }
  return faults;
}
