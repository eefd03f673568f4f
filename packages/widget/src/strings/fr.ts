import type { Strings } from './en.js';

/** The element's text in French. */
export default {
  connect: 'Connecter PingOne',
  connecting: 'Connectez-vous à PingOne dans la fenêtre pop-up.',
  connected: 'PingOne connecté',
  closed: 'Fenêtre de connexion fermée',
  blocked: 'Pop-up bloquée. Autorisez les pop-ups et réessayez.',
  failed: 'Connexion impossible. Réessayez.',
} satisfies Strings;
