import type { Strings } from './en.js';

/** The element's text in German. */
export default {
  connect: 'PingOne verbinden',
  connecting: 'Im Pop-up bei PingOne anmelden.',
  connected: 'PingOne verbunden',
  closed: 'Anmeldefenster geschlossen',
  blocked: 'Pop-up blockiert. Pop-ups erlauben und erneut versuchen.',
  failed: 'Verbindung fehlgeschlagen. Erneut versuchen.',
} satisfies Strings;
