import { css } from 'lit';

/**
 * Neutral defaults that sit well in most apps. Each colour reads a `--pingone-connect-*`
 * property first, so the page's value wins in both schemes; the private `--_*` values are the
 * defaults, which the dark scheme swaps. A `var()` without a fallback (font family, status
 * colour) inherits from the page while the property is unset.
 */
export const styles = css`
  :host {
    --_bg: #fff;
    --_fg: #1f2328;
    --_border: #d1d9e0;
    --_focus: #0969da;
    --_ok: #1a7f37;
    --_err: #d1242f;
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    vertical-align: middle;
    font-family: var(--pingone-connect-font-family);
    font-size: var(--pingone-connect-font-size, 0.875rem);
    line-height: 1.25;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: #212830;
      --_fg: #f0f6fc;
      --_border: #3d444d;
      --_focus: #4493f8;
      --_ok: #3fb950;
      --_err: #f85149;
    }
  }
  :host([hidden]) {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.5em 0.875em;
    border: 1px solid var(--pingone-connect-border-color, var(--_border));
    border-radius: var(--pingone-connect-radius, 8px);
    background: var(--pingone-connect-background, var(--_bg));
    color: var(--pingone-connect-color, var(--_fg));
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  /* A grey veil darkens a light background and lightens a dark one: any theme gets a hover. */
  button:hover:enabled {
    box-shadow: inset 0 0 0 2em #8881;
  }
  button:focus-visible {
    outline: 2px solid var(--pingone-connect-focus-color, var(--_focus));
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
    color: var(--pingone-connect-success-color, var(--_ok));
  }
  :host([state='error']) #status {
    color: var(--pingone-connect-error-color, var(--_err));
  }
`;
