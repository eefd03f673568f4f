/**
 * The hosted link page's text in the element's five languages. The element's own tables are
 * about its popup and are not part of its package's exports, so the page keeps this small
 * table of its own.
 */
export interface LinkStrings {
  readonly lang: string;
  readonly title: string;
  /** `{integration}` and `{organization}` are filled in. */
  readonly intro: string;
  readonly introWithOrganization: string;
  readonly connect: string;
  readonly connected: string;
  readonly connectedText: string;
  readonly failed: string;
  readonly gone: string;
  readonly goneText: string;
  readonly unknown: string;
  readonly unknownText: string;
  readonly errorCode: string;
}

const EN: LinkStrings = {
  lang: 'en',
  title: 'Connect PingOne',
  intro: 'Connect your PingOne account to {integration}.',
  introWithOrganization: 'Connect your PingOne account to {integration} for {organization}.',
  connect: 'Connect PingOne',
  connected: 'PingOne connected',
  connectedText: 'Your PingOne account is now connected. You can close this page.',
  failed: 'The connection was not made',
  gone: 'This link can no longer be used',
  goneText: 'It has expired or was already used. Ask for a new link.',
  unknown: 'Link not found',
  unknownText: 'Check that you opened the whole link, or ask for a new one.',
  errorCode: 'Error code',
};

const TABLES: Readonly<Record<string, LinkStrings>> = {
  en: EN,
  fr: {
    lang: 'fr',
    title: 'Connecter PingOne',
    intro: 'Connectez votre compte PingOne à {integration}.',
    introWithOrganization: 'Connectez votre compte PingOne à {integration} pour {organization}.',
    connect: 'Connecter PingOne',
    connected: 'PingOne connecté',
    connectedText: 'Votre compte PingOne est connecté. Vous pouvez fermer cette page.',
    failed: 'La connexion n’a pas été établie',
    gone: 'Ce lien n’est plus utilisable',
    goneText: 'Il a expiré ou a déjà servi. Demandez un nouveau lien.',
    unknown: 'Lien introuvable',
    unknownText: 'Vérifiez que vous avez ouvert le lien complet, ou demandez-en un nouveau.',
    errorCode: 'Code d’erreur',
  },
  de: {
    lang: 'de',
    title: 'PingOne verbinden',
    intro: 'Verbinden Sie Ihr PingOne-Konto mit {integration}.',
    introWithOrganization: 'Verbinden Sie Ihr PingOne-Konto mit {integration} für {organization}.',
    connect: 'PingOne verbinden',
    connected: 'PingOne verbunden',
    connectedText: 'Ihr PingOne-Konto ist jetzt verbunden. Sie können diese Seite schließen.',
    failed: 'Die Verbindung wurde nicht hergestellt',
    gone: 'Dieser Link ist nicht mehr gültig',
    goneText: 'Er ist abgelaufen oder wurde schon benutzt. Fordern Sie einen neuen Link an.',
    unknown: 'Link nicht gefunden',
    unknownText:
      'Prüfen Sie, ob Sie den ganzen Link geöffnet haben, oder fordern Sie einen neuen an.',
    errorCode: 'Fehlercode',
  },
  es: {
    lang: 'es',
    title: 'Conectar PingOne',
    intro: 'Conecte su cuenta de PingOne a {integration}.',
    introWithOrganization: 'Conecte su cuenta de PingOne a {integration} para {organization}.',
    connect: 'Conectar PingOne',
    connected: 'PingOne conectado',
    connectedText: 'Su cuenta de PingOne ya está conectada. Puede cerrar esta página.',
    failed: 'No se realizó la conexión',
    gone: 'Este enlace ya no se puede usar',
    goneText: 'Ha caducado o ya se usó. Pida un enlace nuevo.',
    unknown: 'Enlace no encontrado',
    unknownText: 'Compruebe que abrió el enlace completo, o pida uno nuevo.',
    errorCode: 'Código de error',
  },
  ja: {
    lang: 'ja',
    title: 'PingOne を接続',
    intro: 'PingOne アカウントを {integration} に接続します。',
    introWithOrganization: 'PingOne アカウントを {organization} の {integration} に接続します。',
    connect: 'PingOne を接続',
    connected: 'PingOne に接続しました',
    connectedText: 'PingOne アカウントが接続されました。このページは閉じてかまいません。',
    failed: '接続できませんでした',
    gone: 'このリンクは使用できません',
    goneText: '有効期限が切れたか、すでに使用されています。新しいリンクを依頼してください。',
    unknown: 'リンクが見つかりません',
    unknownText: 'リンク全体を開いたか確認するか、新しいリンクを依頼してください。',
    errorCode: 'エラーコード',
  },
};

/**
 * The strings for an `Accept-Language` header (RFC 9110 §12.5.4): the known language of the
 * highest weight, by primary subtag (`fr-CA` → French); English when none is known.
 */
export function linkStringsFor(acceptLanguage: string | undefined): LinkStrings {
  if (!acceptLanguage) return EN;
  const ranges = acceptLanguage
    .split(',')
    .slice(0, 50)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { subtag: tag.toLowerCase().split('-', 1)[0] ?? '', weight, index };
    })
    .filter(({ weight }) => Number.isFinite(weight) && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { subtag } of ranges) {
    if (Object.hasOwn(TABLES, subtag)) return TABLES[subtag] as LinkStrings;
  }
  return EN;
}
