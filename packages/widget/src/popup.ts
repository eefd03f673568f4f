/**
 * Opens an empty popup of `width`×`height` CSS pixels, centred on the current window. Must run
 * synchronously inside the user's click: Safari and every popup blocker refuse `window.open`
 * after an `await`.
 *
 * @returns the popup, or `null` when the browser blocked it
 */
export function openCenteredPopup(name: string, width: number, height: number): Window | null {
  const left = Math.round(screenX + (outerWidth - width) / 2);
  const top = Math.round(screenY + (outerHeight - height) / 2);
  return open('about:blank', name, `popup,width=${width},height=${height},left=${left},top=${top}`);
}
