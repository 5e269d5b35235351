import { defineConfig } from 'vitest/config';

// Its own config, so that vitest does not load vite.config.ts: the tests drive the built app
// (`node build`) over HTTP, they do not run inside SvelteKit.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
