/** The element's user-facing text in one language: the button label, then the status lines. */
export interface Strings {
  connect: string;
  connecting: string;
  connected: string;
  closed: string;
  blocked: string;
  failed: string;
}

/** Which status line to show. */
export type StatusKey = Exclude<keyof Strings, 'connect'>;

/** Inline: the text of every page that needs no other, and of the others until theirs loads. */
export const english: Strings = {
  connect: 'Connect PingOne',
  connecting: 'Sign in to PingOne in the pop-up.',
  connected: 'PingOne connected',
  closed: 'Sign-in window closed',
  blocked: 'Pop-up blocked. Allow pop-ups and try again.',
  failed: 'Could not connect. Try again.',
};

/** Imports a language's chunk. */
type Load = () => Promise<{ default: Strings }>;

/**
 * Each language by primary subtag: English inline; the others a chunk each, so that a page
 * pays only for the one it shows, then the load while it runs, then the text. A Map, so that
 * `lang="constructor"` finds nothing.
 */
const tables = new Map<string, Strings | Promise<Strings> | Load>([
  ['en', english],
  ['fr', () => import('./strings/fr.js')],
  ['de', () => import('./strings/de.js')],
  ['es', () => import('./strings/es.js')],
  ['ja', () => import('./strings/ja.js')],
]);

/**
 * The strings for a BCP 47 tag (`fr-CA` → French); English for anything unknown. The first ask
 * for another language starts loading its chunk and returns the load; a failed load puts the
 * loader back, so that a later ask tries again.
 */
export function stringsFor(lang: string): Strings | Promise<Strings> {
  const subtag = lang.toLowerCase().split('-', 1)[0] ?? '';
  const table = tables.get(subtag) ?? english;
  if (typeof table !== 'function') return table;
  const loading = table().then(
    ({ default: strings }) => {
      tables.set(subtag, strings);
      return strings;
    },
    (error: unknown) => {
      tables.set(subtag, table);
      throw error;
    },
  );
  tables.set(subtag, loading);
  return loading;
}
