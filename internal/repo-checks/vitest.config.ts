import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A document's code blocks are type-checked and run, and the release tools run on a scratch
    // copy: seconds each on a busy machine.
    testTimeout: 30_000,
  },
});
