/** German, in the order and format of `strings.ts`. */
export default 'PingOne verbinden|Im Pop-up bei PingOne anmelden.|PingOne verbunden|Anmeldefenster geschlossen|Pop-up blockiert. Pop-ups erlauben und erneut versuchen.|Verbindung fehlgeschlagen. Erneut versuchen.';
