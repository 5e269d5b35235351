import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packs every published package once, for all the files.
    globalSetup: ['test/pack.ts'],
    // One file per framework, two side by side (installs wait on the network and the disk while
    // a build uses the CPU); inside a file the hand copy and the direct starter go side by side
    // too, each copy's steps in order. npm installs, `next build` and a copy's own suite take
    // minutes, not seconds.
    maxWorkers: 2,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
