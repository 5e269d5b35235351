import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `npm pack --dry-run` per package takes a second or two on a busy machine.
    testTimeout: 30_000,
  },
});
