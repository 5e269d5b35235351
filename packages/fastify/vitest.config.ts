import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child apps and tsc runs take seconds, not milliseconds.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
