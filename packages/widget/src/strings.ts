import { english, type Strings } from './strings/en.js';

export { english, type Strings };

/** Which status line to show. */
export type StatusKey = Exclude<keyof Strings, 'connect'>;

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
