// Builds the two browser bundles from the compiled ESM in dist/ (run `tsc` first):
//   dist/browser/pingone-connect.js               Lit inlined, for a plain <script type="module">
//   dist/browser/pingone-connect.lit-external.js  imports `lit`, for pages that already load Lit
// Both register the element on load.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One minified single-file ES module build of dist/define.js. */
function bundle(fileName, external) {
  return build({
    root,
    configFile: false,
    logLevel: 'warn',
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
