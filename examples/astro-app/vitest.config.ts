import { defineConfig } from 'vitest/config';

// Its own config, so that vitest does not load astro.config.mjs: the tests drive the built app
// (`node ./dist/server/entry.mjs`, after `npm run build`) over HTTP.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
