import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The app runs as a child process and one test drives Chromium.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
