import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
const define = { __PACKAGE_VERSION__: JSON.stringify(version) };
const shared = { setupFiles: ['test/helpers/setup.ts'], testTimeout: 20_000 };

export default defineConfig({
  test: {
    projects: [
      { define, test: { ...shared, name: 'node', environment: 'node' } },
      {
        // The behaviour suites again with the Edge runtime's globals (fetch, Request, Headers,
        // AbortController, timers from @edge-runtime/primitives) in place of Node's.
        define,
        test: {
          ...shared,
          name: 'edge-runtime',
          environment: 'edge-runtime',
          include: ['test/{client,retry,track,scheduling,validation,visitor,money,proxy}.test.ts'],
        },
      },
    ],
  },
});
