// A leaf: strings.ts loads the other languages' files, and they check their text against the
// `Strings` defined here, so neither imports the other.

/** The element's user-facing text in one language: the button label, then the status lines. */
export interface Strings {
  connect: string;
  connecting: string;
  connected: string;
  closed: string;
  blocked: string;
  failed: string;
}

/** Inline: the text of every page that needs no other, and of the others until theirs loads. */
export const english: Strings = {
  connect: 'Connect PingOne',
  connecting: 'Sign in to PingOne in the pop-up.',
  connected: 'PingOne connected',
  closed: 'Sign-in window closed',
  blocked: 'Pop-up blocked. Allow pop-ups and try again.',
  failed: 'Could not connect. Try again.',
};
