// @ts-check
// The element's browser tests: real headless Chromium, real popups, and a fake server on two
// loopback ports that stands in for the pingone-connect server (test/fake-server.js).
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chunkGatePlugin } from './test/chunk-gate.js';
import { countsReporter } from './test/counts-reporter.js';
import { fakeServerPlugin } from './test/fake-server.js';
import { touchPlugin } from './test/touch-plugin.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const fakeServer = fakeServerPlugin();
const chunkGate = chunkGatePlugin();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['src/**/*.test.ts'],
  hostname: '127.0.0.1',
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 120_000,
  middleware: [chunkGate.middleware],
  plugins: [
    esbuildPlugin({
      ts: true,
      tsconfig: fileURLToPath(new URL('./tsconfig.test.json', import.meta.url)),
    }),
    fakeServer,
    chunkGate,
    touchPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
      // Without its cache, Chromium asks the server for a language chunk in every page that
      // loads one, as a new visitor's browser would, and the tests' chunk gate sees each ask.
      createPage: async ({ browser }) => {
        const page = await browser.newPage();
        await page.setCacheEnabled(false);
        return page;
      },
    }),
  ],
  reporters: [defaultReporter(), countsReporter()],
  testFramework: { config: { timeout: 10_000 } },
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8">${fakeServer.pageScript()}</head><body>
      <script type="module" src="${testFramework}"></script></body></html>`,
};
