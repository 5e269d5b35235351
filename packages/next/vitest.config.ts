import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Deliveries retry with backoff against a real devserver: a few seconds at most.
    testTimeout: 20_000,
  },
});
