import { PingOneConnect } from './pingone-connect.js';

// Guarded: the element may arrive twice (a bundle and a framework build on one page), and a
// second `define` would throw.
if (!customElements.get('pingone-connect'))
  customElements.define('pingone-connect', PingOneConnect);

export * from './index.js';
