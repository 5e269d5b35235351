import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Captures every child's output and log line; scans them all for secrets once every file ran.
    globalSetup: ['test/global-setup.ts'],
    // Real processes on a shared 2-core machine: starting an app or a devserver takes seconds.
    // Generous: the figures are printed, never timed; a loaded CI machine must not fail them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
