import { defineConfig } from 'vitest/config';

// Every Node-side suite in one run; the widget's browser tests run under @web/test-runner.
export default defineConfig({
  test: {
    projects: [
      'packages/protocol',
      'packages/testing',
      'packages/emulator',
      'packages/server',
      'packages/node',
      'demo',
    ],
  },
});
