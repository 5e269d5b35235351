import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The browser test launches Chromium; everything else answers in milliseconds.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
