import type { Strings } from './en.js';

/** The element's text in Japanese. */
export default {
  connect: 'PingOne に接続',
  connecting: 'ポップアップで PingOne にサインインしてください。',
  connected: 'PingOne に接続しました',
  closed: 'サインイン ウィンドウが閉じられました',
  blocked: 'ポップアップがブロックされました。許可してもう一度お試しください。',
  failed: '接続できませんでした。もう一度お試しください。',
} satisfies Strings;
