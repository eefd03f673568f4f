// Builds the two browser bundles from the compiled ESM in dist/ (run `tsc` first):
//   dist/browser/pingone-connect.js               Lit inlined, for a plain <script type="module">
//   dist/browser/pingone-connect.lit-external.js  imports `lit`, for pages that already load Lit
//   dist/browser/pingone-connect.{fr,de,es,ja}.js a language's text, imported on first use
//   dist/browser/pingone-connect.attempt-flow.js  the attempt's flow, imported on the first click
// Both register the element on load. A chunk imports nothing, so both bundles emit the same file
// and share it, and no second copy of the element can come in through it (from a URL that
// differs from the page's); the build fails otherwise. Prints each file's minified and gzip
// size; the budgets of the two bundles are enforced by `size-limit` (.size-limit.json) in
// `pnpm test`.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, parseAst } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

// The transform returns no source map, so the module must keep its lines for the bundle's map
// to hold: the line breaks a template part loses move out of it, into the JavaScript right
// after it (after the `${` that follows, or after the closing backtick), which the minifier
// then drops.

/**
 * The element's stylesheet on one line: comments, indentation and line breaks dropped, and the
 * spaces around punctuation; descendant spaces kept.
 */
function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .replace(/([ :,(])0\./g, '$1.')
    .replace(/\[([\w-]+)='([\w-]+)'\]/g, '[$1=$2]')
    .trim();
}

/**
 * Prettier lays the element's html`` template out over many lines. A line break there, with its
 * indentation, goes where it cannot render: before a tag's `>`, or after a `>` when a tag or a
 * binding follows (whitespace-only text in the element's flex layout). Between attributes it
 * becomes one space. An attribute value of word characters and dashes needs no quotes, unless a
 * `/` follows it (it would become part of the value); the template's text has no `="`.
 */
function minifyHtml(text) {
  return text
    .replace(/\s*\n\s*/g, (space, at, all) => {
      const next = all[at + space.length];
      return next === '>' || (all[at - 1] === '>' && (next === '<' || next === undefined))
        ? ''
        : ' ';
    })
    .replace(/(\s[\w-]+)="([\w-]+)"(?=[\s>])/g, '$1=$2');
}

/**
 * Minifies the literal parts of the css`` and html`` templates of the compiled element, found
 * through the syntax tree (an html`` template nests others inside its `${}`).
 */
const minifyTemplates = {
  name: 'minify-templates',
  transform(code, id) {
    if (!/\/dist\/[^/]+\.js$/.test(id)) return null;
    const minifiers = { css: minifyCss, html: minifyHtml };
    const edits = [];
    const visit = (node) => {
      if (!node || typeof node !== 'object') return;
      const minify = node.type === 'TaggedTemplateExpression' && minifiers[node.tag.name];
      for (const { start, end, value, tail } of minify ? node.quasi.quasis : []) {
        edits.push({ start, end, text: minify(value.raw) });
        const after = end + (tail ? '`'.length : '${'.length);
        edits.push({ start: after, end: after, text: value.raw.replace(/[^\n]/g, '') });
      }
      for (const value of Object.values(node)) visit(value);
    };
    visit(parseAst(code));
    if (edits.length === 0) return null;
    let minified = code;
    // From the end, so that the offsets of earlier edits still hold.
    for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
      minified = minified.slice(0, start) + text + minified.slice(end);
    }
    return { code: minified, map: null };
  },
};

/** One minified single-file ES module build of dist/define.js. */
function bundle(fileName, external) {
  return build({
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [minifyTemplates],
    build: {
      outDir: 'dist/browser',
      emptyOutDir: false,
      sourcemap: true,
      target: 'es2022',
      lib: { entry: 'dist/define.js', formats: ['es'], fileName: () => fileName },
      rolldownOptions: {
        external,
        // Library mode leaves ES output unminified unless asked. `@__PURE__` annotations only
        // help a later bundler drop unused code, and this file is the end of the line.
        // The chunks keep fixed names beside the bundle, like the bundle itself: the bundle
        // imports them relative to its own URL, wherever it is served from.
        output: {
          minify: true,
          comments: { annotation: false },
          chunkFileNames: 'pingone-connect.[name].js',
        },
      },
    },
  });
}

const files = [
  ['pingone-connect.js', []],
  ['pingone-connect.lit-external.js', [/^lit(\/|$)/, /^@lit\//]],
];
for (const [fileName, external] of files) {
  for (const { output } of [await bundle(fileName, external)].flat()) {
    const emitted = new Set(output.map((file) => file.fileName));
    for (const chunk of output) {
      if (chunk.type !== 'chunk') continue;
      // The entry loads from one <script> tag: it may import Lit, but no file of its own.
      const imports = chunk.isEntry
        ? chunk.imports.filter((name) => emitted.has(name))
        : [...chunk.imports, ...chunk.dynamicImports];
      if (imports.length > 0) throw new Error(`${chunk.fileName} imports ${imports.join(', ')}`);
    }
  }
}
for (const fileName of await readdir(`${root}/dist/browser`)) {
  if (!fileName.endsWith('.js')) continue;
  const code = await readFile(`${root}/dist/browser/${fileName}`);
  console.log(
    `dist/browser/${fileName}: ${code.length} B minified, ${gzipSync(code, { level: 9 }).length} B gzip`,
  );
}
