import { defineProject } from 'vitest/config';

// End-to-end: every file starts the whole demo and drives /usr/bin/chromium through it.
export default defineProject({
  test: {
    name: 'demo',
    include: ['e2e/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
