import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real processes: `nuxi build` takes a minute or more on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
