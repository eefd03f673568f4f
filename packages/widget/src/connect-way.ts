/**
 * How a click connects (DESIGN §4.9): in a popup; by leaving the page for PingOne and coming
 * back to it (`mode="redirect"`); or in a popup unless the browser blocks it, then by leaving the
 * page (`fallback="redirect"`).
 */
export type Way = 'popup' | 'redirect' | 'popup-or-redirect';

/**
 * The `mode` and `fallback` attributes as a `Way`; absent or empty means the default. Any other
 * value is programmer misuse: a `TypeError` that says what is allowed.
 */
export function parseWay(mode: string | null, fallback: string | null): Way {
  if (mode && mode !== 'popup' && mode !== 'redirect') {
    throw new TypeError(`<pingone-connect>: "mode" must be "popup" or "redirect", not "${mode}".`);
  }
  if (fallback && fallback !== 'redirect') {
    throw new TypeError(`<pingone-connect>: "fallback" must be "redirect", not "${fallback}".`);
  }
  if (mode === 'redirect') return 'redirect';
  return fallback ? 'popup-or-redirect' : 'popup';
}
