import { defineConfig } from 'vitest/config';

// Its own config, so that vitest does not load Nuxt's: the tests drive the built app
// (`node .output/server/index.mjs`) over HTTP, they do not run inside Nuxt.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
