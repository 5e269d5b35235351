import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes, npm pack and npm install take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
