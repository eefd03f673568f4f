import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Flow tests drive a real emulator over loopback HTTP and PostgreSQL starts from npm binaries.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
