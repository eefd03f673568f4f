// Renders docs/states.png: the element's states in light and dark, as Chromium draws them.
// Each state is reached through the real flow (popups, result pages) against the fake server of
// the tests; run `pnpm run build` first, since the page loads the single-file bundle (and the
// language chunks beside it). The Japanese cell needs a CJK font (Debian: fonts-noto-cjk).
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import { startFakeServer } from '../test/fake-server.js';

const root = new URL('..', import.meta.url);

const states = [
  ['idle', ''],
  ['connecting', ''],
  ['connected', ''],
  ['error', ''],
  ['disabled', 'disabled'],
  [
    'custom theme',
    'label="Link your directory" style="--pingone-connect-background:#4f46e5;--pingone-connect-color:#fff;' +
      '--pingone-connect-border-color:#4338ca;--pingone-connect-radius:999px;--pingone-connect-font-size:15px"',
  ],
];

/** The status line in each language, the longest one (Spanish, pop-up blocked) last. */
const languages = [
  ['fr', 'connecting'],
  ['de', 'connecting'],
  ['es', 'connecting'],
  ['ja', 'connecting'],
  ['en', 'pop-up blocked'],
  ['es', 'pop-up blocked'],
];

/** The showcase page: one cell per state; `drive()` takes an element through the real flow. */
function page(serverOrigin) {
  const cell = (id, caption, attributes) => `<figure><figcaption>${caption}</figcaption>
    <pingone-connect id="${id}" server="${serverOrigin}" session-token="st_screenshot" ${attributes}></pingone-connect></figure>`;
  const cells = states.map(([name, attributes], index) => cell(`e${index}`, name, attributes));
  const languageCells = languages.map(([lang, state], index) =>
    cell(`l${index}`, `${lang} · ${state}`, `lang="${lang}"`),
  );
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>pingone-connect states</title>
<style>
  body { margin: 0; font-family: Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK JP", sans-serif; }
  main { display: grid; grid-template-columns: repeat(6, 200px); gap: 20px 8px; width: fit-content; padding: 28px 32px; background: #f6f8fa; color: #1f2328; }
  @media (prefers-color-scheme: dark) { main { background: #0d1117; color: #f0f6fc; } }
  figure { margin: 0; display: flex; flex-direction: column; align-items: flex-start; gap: 12px; min-height: 92px; }
  figcaption { font-size: 12px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; opacity: .6; }
</style>
<main id="grid">${cells.join('')}</main>
<main id="languages">${languageCells.join('')}</main>
<script type="module" src="/pingone-connect.js"></script>
<script type="module">
  const opened = [];
  const open = window.open;
  let block = false;
  // A blocked popup as a popup blocker makes it: window.open returns null.
  window.open = (...args) => { const popup = block ? null : open.apply(window, args); opened.push(popup); return popup; };
  window.block = async (id) => {
    await customElements.whenDefined('pingone-connect');
    block = true;
    await document.getElementById(id).connect().catch(() => {});
    block = false;
  };
  window.drive = async (id, payload) => {
    await customElements.whenDefined('pingone-connect');
    const element = document.getElementById(id);
    const started = new Promise((resolve) =>
      element.addEventListener('pingone-connect-start', (event) => resolve(event.detail.attempt_id), { once: true }));
    element.connect().catch(() => {});
    const attempt = await started;
    await fetch('${serverOrigin}/__test/attempts/' + attempt + '/post');
    if (!payload) return;
    const query = new URLSearchParams({ payload: JSON.stringify({ v: 1, type: 'pingone-connect:result', attempt_id: attempt, ...payload }), target: location.origin });
    opened.at(-1).location.href = '${serverOrigin}/result?' + query;
    await new Promise((resolve) => element.addEventListener(payload.ok ? 'pingone-connect-success' : 'pingone-connect-error', resolve, { once: true }));
  };
</script>`;
}

const fake = await startFakeServer();
const host = createServer(async (req, res) => {
  // The single-file bundle, and the language chunks it imports from beside itself.
  const file = /^\/(pingone-connect(?:\.\w+)?\.js)$/.exec(req.url ?? '')?.[1];
  if (file) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    return res.end(await readFile(new URL(`dist/browser/${file}`, root)));
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page(fake.origin));
});
await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
const hostOrigin = `http://127.0.0.1:${host.address().port}`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({
    deviceScaleFactor: 2,
    viewport: { width: 1340, height: 400 },
  });
  const showcase = await context.newPage();
  await showcase.goto(hostOrigin);
  await showcase.evaluate(() => customElements.whenDefined('pingone-connect'));
  await showcase.evaluate(() => window.drive('e1'));
  await showcase.evaluate(() =>
    window.drive('e2', {
      ok: true,
      connection_id: 'conn_01',
      end_user_id: 'user-42',
      scopes: ['openid'],
    }),
  );
  await showcase.evaluate(() =>
    window.drive('e3', {
      ok: false,
      error: { code: 'access_denied', message: 'The user declined.' },
    }),
  );
  for (const [index, [, state]] of languages.entries()) {
    await showcase.evaluate(
      ([id, blocked]) => (blocked ? window.block(id) : window.drive(id)),
      [`l${index}`, state === 'pop-up blocked'],
    );
  }
  // Each element's `updateComplete` also waits for its language's text.
  await showcase.evaluate(() =>
    Promise.all([...document.querySelectorAll('pingone-connect')].map((e) => e.updateComplete)),
  );
  // Park the spinner mid-turn so that both pictures show it the same way.
  await showcase.addStyleTag({
    content: '* { animation-play-state: paused !important; animation-delay: -0.2s !important; }',
  });

  const shots = [];
  for (const colorScheme of ['light', 'dark']) {
    await showcase.emulateMedia({ colorScheme });
    shots.push((await showcase.locator('#grid').screenshot()).toString('base64'));
  }
  await showcase.emulateMedia({ colorScheme: 'light' });
  shots.push((await showcase.locator('#languages').screenshot()).toString('base64'));
  const sheet = await context.newPage();
  await sheet.setContent(
    `<body style="margin:0"><div id="sheet" style="width:fit-content">${shots
      .map((shot) => `<img src="data:image/png;base64,${shot}" style="width:1332px;display:block">`)
      .join('')}</div></body>`,
  );
  await sheet.waitForFunction(() => [...document.images].every((image) => image.complete));
  const output = fileURLToPath(new URL('docs/states.png', root));
  await writeFile(output, await sheet.locator('#sheet').screenshot());
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  host.close();
  await fake.close();
}
