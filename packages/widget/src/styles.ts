import { css } from 'lit';

/**
 * Neutral defaults that sit well in most apps. Each colour reads a `--pingone-connect-*`
 * property first, so the page's value wins in both schemes; the fallback is a `light-dark()`
 * pair that follows the user's `prefers-color-scheme` (the host's `color-scheme: light dark`;
 * `light-dark()` needs Chromium 123, Firefox 120, Safari 17.5).
 * A `var()` without a fallback (font family, status colour) inherits from the page while the
 * property is unset.
 */
export const styles = css`
  :host {
    color-scheme: light dark;
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    vertical-align: middle;
    font-family: var(--pingone-connect-font-family);
    font-size: var(--pingone-connect-font-size, 0.875rem);
    line-height: 1.25;
  }
  :host([hidden]) {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.5em 0.875em;
    border: 1px solid var(--pingone-connect-border-color, light-dark(#d1d9e0, #3d444d));
    border-radius: var(--pingone-connect-radius, 8px);
    background: var(--pingone-connect-background, light-dark(#fff, #212830));
    color: var(--pingone-connect-color, light-dark(#1f2328, #f0f6fc));
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  /* A grey veil darkens a light background and lightens a dark one: any theme gets a hover. */
  button:hover:enabled {
    box-shadow: inset 0 0 0 2em #8881;
  }
  button:focus-visible {
    outline: 2px solid var(--pingone-connect-focus-color, light-dark(#0969da, #4493f8));
    outline-offset: 2px;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  [part='spinner'] {
    box-sizing: border-box;
    width: 1em;
    height: 1em;
    border: 2px solid;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  /* Wraps within the room the page gives, even under an inherited nowrap; Japanese at phrases. */
  #status {
    white-space: normal;
    word-break: auto-phrase;
    color: var(--pingone-connect-status-color);
    font-size: 0.9em;
  }
  #status:not(:empty) {
    margin-top: 0.375em;
  }
  :host([state='connected']) #status {
    color: var(--pingone-connect-success-color, light-dark(#1a7f37, #3fb950));
  }
  :host([state='error']) #status {
    color: var(--pingone-connect-error-color, light-dark(#d1242f, #f85149));
  }
`;
