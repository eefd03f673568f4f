// Builds the two browser bundles from the compiled ESM in dist/ (run `tsc` first):
//   dist/browser/pingone-connect.js               Lit inlined, for a plain <script type="module">
//   dist/browser/pingone-connect.lit-external.js  imports `lit`, for pages that already load Lit
// Both register the element on load.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Collapses the whitespace and comments of the element's stylesheet (the css`` template of
 * styles.js, which has no expressions). Descendant spaces survive: only the space around
 * `{ } ; ,` and after a `:` goes.
 */
const minifyStyles = {
  name: 'minify-styles',
  transform(code, id) {
    if (!id.endsWith('/dist/styles.js')) return null;
    const minified = code.replace(/css\s*`([^`]*)`/, (_, text) => {
      const css = text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/ ?([{};,]) ?/g, '$1')
        .replace(/: /g, ':')
        .replace(/;}/g, '}')
        .trim();
      return `css\`${css}\``;
    });
    return { code: minified, map: null };
  },
};

/** One minified single-file ES module build of dist/define.js. */
function bundle(fileName, external) {
  return build({
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [minifyStyles],
    build: {
      outDir: 'dist/browser',
      emptyOutDir: false,
      sourcemap: true,
      target: 'es2022',
      lib: { entry: 'dist/define.js', formats: ['es'], fileName: () => fileName },
      rolldownOptions: {
        external,
        // Library mode leaves ES output unminified unless asked.
        output: { minify: true },
      },
    },
  });
}

await bundle('pingone-connect.js', []);
await bundle('pingone-connect.lit-external.js', [/^lit(\/|$)/, /^@lit\//]);
