import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@datafast-checkout/devserver/testing';

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

/**
 * This app as the shared suites start it: the production build (`npm run build`, which turbo runs
 * before `test`) with `next start`, what `npm run start` runs. Change the routes or labels here
 * when you change them in the app (see `ExampleApp`).
 */
export const example: ExampleApp = {
  command: process.execPath,
  args: [nextBin, 'start'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { NODE_ENV: 'production' },
  buildOutput: '.next/BUILD_ID',
};
