import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real processes: an Astro build and `node ./dist/server/entry.mjs` take seconds on a loaded
    // 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
