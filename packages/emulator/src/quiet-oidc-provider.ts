import type { default as Provider, Configuration } from 'oidc-provider';

const NOTICE = /^(\x1b\[[\d;]*m)?oidc-provider (WARNING|NOTICE):/;

/**
 * oidc-provider prints development notices: "Unsupported runtime" on Node 20 when it is
 * imported, the in-memory adapter notice when a Provider is constructed. They speak of a
 * production deployment and are noise for a local emulator, so they are dropped while — and only
 * while — those two steps run. Every other console line still goes through.
 */
function muteProviderNotices(): () => void {
  const { warn, info } = console;
  const filtered =
    (print: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      if (typeof args[0] !== 'string' || !NOTICE.test(args[0])) print(...args);
    };
  console.warn = filtered(warn);
  console.info = filtered(info);
  return () => {
    console.warn = warn;
    console.info = info;
  };
}

const unmute = muteProviderNotices();
let oidc: typeof import('oidc-provider');
try {
  // The runtime notice is printed while the module evaluates, hence a dynamic import.
  oidc = await import('oidc-provider');
} finally {
  unmute();
}

/** oidc-provider's error classes (`errors.InvalidScope`, …). */
export const { errors } = oidc;
export type { Provider };

/** Constructs an oidc-provider `Provider` without its development notices. */
export function createProvider(issuer: string, configuration: Configuration): Provider {
  const unmuteAgain = muteProviderNotices();
  try {
    return new oidc.Provider(issuer, configuration);
  } finally {
    unmuteAgain();
  }
}
