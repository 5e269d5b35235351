import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts the built app with `next start` (a second or two) and the browser test
    // launches Chromium; requests themselves answer in milliseconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
