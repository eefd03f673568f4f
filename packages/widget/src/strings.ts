/** What each line of a language's text is for: the button label, then the status lines. */
const KEYS = ['connect', 'connecting', 'connected', 'closed', 'blocked', 'failed'] as const;

/** The element's user-facing text in one language. */
export type Strings = Record<(typeof KEYS)[number], string>;

/** Which status line to show. */
export type StatusKey = Exclude<keyof Strings, 'connect'>;

/** A language's lines in `KEYS` order, `|`-separated: one string per language keeps it small. */
const parse = (text: string): Strings => {
  const lines = text.split('|');
  return Object.fromEntries(KEYS.map((key, index) => [key, lines[index] ?? ''])) as Strings;
};

/** Inline: the text of every page that needs no other, and of the others until theirs loads. */
export const english = parse(
  'Connect PingOne|Sign in to PingOne in the pop-up.|PingOne connected|Sign-in window closed|Pop-up blocked. Allow pop-ups and try again.|Could not connect. Try again.',
);

/**
 * The other languages, a chunk each, so that a page pays only for the one it shows. Keyed by
 * primary language subtag; a Map, so that `lang="constructor"` finds nothing.
 */
const chunks = new Map<string, () => Promise<{ default: string }>>([
  ['fr', () => import('./strings/fr.js')],
  ['de', () => import('./strings/de.js')],
  ['es', () => import('./strings/es.js')],
  ['ja', () => import('./strings/ja.js')],
]);

/** Each language asked for so far: its text once loaded, the load while it runs. */
const tables = new Map<string, Strings | Promise<Strings>>([['en', english]]);

/**
 * The strings for a BCP 47 tag (`fr-CA` → French); English for anything unknown. The first ask
 * for another language starts loading its chunk and returns the load; a failed load is
 * forgotten, so that a later ask tries again.
 */
export function stringsFor(lang: string): Strings | Promise<Strings> {
  const subtag = lang.toLowerCase().split('-', 1)[0] ?? '';
  let table = tables.get(subtag);
  const load = chunks.get(subtag);
  if (!table && load) {
    table = load().then(
      (chunk) => {
        const strings = parse(chunk.default);
        tables.set(subtag, strings);
        return strings;
      },
      (error: unknown) => {
        tables.delete(subtag);
        throw error;
      },
    );
    tables.set(subtag, table);
  }
  return table ?? english;
}
