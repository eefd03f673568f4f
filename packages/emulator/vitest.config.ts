import { defineProject } from 'vitest/config';

// Every test starts real emulators (and one a real Chromium), so allow more than the default 5 s.
export default defineProject({
  test: {
    name: 'emulator',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
