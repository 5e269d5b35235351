import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@datafast-checkout/devserver/testing';

/**
 * This app as the shared suites start it: the build (`npm run build`, which turbo runs before
 * `test`) with `node .output/server/index.mjs`, what `npm run start` runs, on the Node running the
 * tests (Nuxt 4 needs Node ^22.22.3 || ^24.15). Change the routes or labels here when you change
 * them in the app (see `ExampleApp`).
 */
export const example: ExampleApp = {
  command: process.execPath,
  args: ['.output/server/index.mjs'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  buildOutput: '.output/server/index.mjs',
};
