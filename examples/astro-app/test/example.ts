import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@datafast-checkout/devserver/testing';

/**
 * This app as the shared suites start it: the build (`npm run build`, which turbo runs before
 * `test`) with `node ./dist/server/entry.mjs`, what `npm run start` runs. Astro 7 needs Node
 * >= 22.23.4, so run the tests on such a Node: the app runs on the tests' own. Change the routes
 * or labels here when you change them in the app (see `ExampleApp`).
 */
export const example: ExampleApp = {
  command: process.execPath,
  args: ['./dist/server/entry.mjs'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  buildOutput: 'dist/server/entry.mjs',
};
