import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts a real PostgreSQL server (a second or two) and child processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
