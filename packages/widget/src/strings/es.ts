import type { Strings } from './en.js';

/** The element's text in Spanish. */
export default {
  connect: 'Conectar PingOne',
  connecting: 'Inicia sesión en PingOne en la ventana emergente.',
  connected: 'PingOne conectado',
  closed: 'Ventana de inicio de sesión cerrada',
  blocked: 'Ventana emergente bloqueada. Permítela y vuelve a intentarlo.',
  failed: 'No se pudo conectar. Vuelve a intentarlo.',
} satisfies Strings;
