/** The element's user-facing text in one language. */
export interface Strings {
  /** The button label. */
  connect: string;
  connecting: string;
  connected: string;
  closed: string;
  blocked: string;
  failed: string;
}

/** Which status line to show. */
export type StatusKey = Exclude<keyof Strings, 'connect'>;

const en: Strings = {
  connect: 'Connect PingOne',
  connecting: 'Waiting for PingOne sign-in…',
  connected: 'PingOne connected',
  closed: 'Sign-in window closed',
  blocked: 'Pop-up blocked. Allow pop-ups and try again.',
  failed: 'Could not connect. Try again.',
};

/** Keyed by primary language subtag. A Map, so that `lang="constructor"` finds nothing. */
const catalog = new Map<string, Strings>([
  ['en', en],
  [
    'fr',
    {
      connect: 'Connecter PingOne',
      connecting: 'Connexion à PingOne en cours…',
      connected: 'PingOne connecté',
      closed: 'Fenêtre de connexion fermée',
      blocked: 'Pop-up bloquée. Autorisez les pop-ups et réessayez.',
      failed: 'Connexion impossible. Réessayez.',
    },
  ],
  [
    'de',
    {
      connect: 'PingOne verbinden',
      connecting: 'Warten auf PingOne-Anmeldung…',
      connected: 'PingOne verbunden',
      closed: 'Anmeldefenster geschlossen',
      blocked: 'Pop-up blockiert. Pop-ups erlauben und erneut versuchen.',
      failed: 'Verbindung fehlgeschlagen. Erneut versuchen.',
    },
  ],
  [
    'es',
    {
      connect: 'Conectar PingOne',
      connecting: 'Esperando el inicio de sesión en PingOne…',
      connected: 'PingOne conectado',
      closed: 'Ventana de inicio de sesión cerrada',
      blocked: 'Ventana emergente bloqueada. Permítela y vuelve a intentarlo.',
      failed: 'No se pudo conectar. Vuelve a intentarlo.',
    },
  ],
  [
    'ja',
    {
      connect: 'PingOne に接続',
      connecting: 'PingOne のサインインを待っています…',
      connected: 'PingOne に接続しました',
      closed: 'サインイン ウィンドウが閉じられました',
      blocked: 'ポップアップがブロックされました。許可してもう一度お試しください。',
      failed: '接続できませんでした。もう一度お試しください。',
    },
  ],
]);

/** The strings for a BCP 47 tag (`fr-CA` → French); English for anything unknown. */
export function stringsFor(lang: string): Strings {
  return catalog.get(lang.toLowerCase().split('-', 1)[0] ?? '') ?? en;
}
