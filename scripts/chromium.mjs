// Headless Chromium as every browser test here launches it: the system's build (Debian's
// package; CHROMIUM_PATH overrides), with the flags it needs as root on a closed network — no
// sandbox as root, and no background service that would dial out and be refused.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
