import { defineConfig } from 'vitest/config';

// Its own config, so vitest does not load vite.config.ts (SvelteKit 3's plugin, which needs
// Node 22: the app is built by the test, with Node 22).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real processes: a SvelteKit build and `node build` take seconds on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
