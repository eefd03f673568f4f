/** What each line of a language's text is for: the button label, then the status lines. */
const KEYS = ['connect', 'connecting', 'connected', 'closed', 'blocked', 'failed'] as const;

/** The element's user-facing text in one language. */
export type Strings = Record<(typeof KEYS)[number], string>;

/** Which status line to show. */
export type StatusKey = Exclude<keyof Strings, 'connect'>;

const en =
  'Connect PingOne|Sign in to PingOne in the pop-up.|PingOne connected|Sign-in window closed|Pop-up blocked. Allow pop-ups and try again.|Could not connect. Try again.';

/**
 * Each language's lines in `KEYS` order, `|`-separated: one string per language keeps the
 * bundle small. Keyed by primary language subtag; a Map, so that `lang="constructor"` finds
 * nothing.
 */
const catalog = new Map([
  ['en', en],
  [
    'fr',
    'Connecter PingOne|Connectez-vous à PingOne dans la fenêtre pop-up.|PingOne connecté|Fenêtre de connexion fermée|Pop-up bloquée. Autorisez les pop-ups et réessayez.|Connexion impossible. Réessayez.',
  ],
  [
    'de',
    'PingOne verbinden|Im Pop-up bei PingOne anmelden.|PingOne verbunden|Anmeldefenster geschlossen|Pop-up blockiert. Pop-ups erlauben und erneut versuchen.|Verbindung fehlgeschlagen. Erneut versuchen.',
  ],
  [
    'es',
    'Conectar PingOne|Inicia sesión en PingOne en la ventana emergente.|PingOne conectado|Ventana de inicio de sesión cerrada|Ventana emergente bloqueada. Permítela y vuelve a intentarlo.|No se pudo conectar. Vuelve a intentarlo.',
  ],
  [
    'ja',
    'PingOne に接続|ポップアップで PingOne にサインインしてください。|PingOne に接続しました|サインイン ウィンドウが閉じられました|ポップアップがブロックされました。許可してもう一度お試しください。|接続できませんでした。もう一度お試しください。',
  ],
]);

/** The strings for a BCP 47 tag (`fr-CA` → French); English for anything unknown. */
export function stringsFor(lang: string): Strings {
  const text = catalog.get(lang.toLowerCase().split('-', 1)[0] ?? '') ?? en;
  const lines = text.split('|');
  return Object.fromEntries(KEYS.map((key, index) => [key, lines[index] ?? ''])) as Strings;
}
