import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One real PostgreSQL server for every file; some tests run several processes against it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
