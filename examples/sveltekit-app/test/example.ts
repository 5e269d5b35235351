import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@datafast-checkout/devserver/testing';

/**
 * This app as the shared suites start it: the build (`npm run build`, which turbo runs before
 * `test`) with `node build`, what `npm run start` runs. Change the routes or labels here when you
 * change them in the app (see `ExampleApp`).
 */
export const example: ExampleApp = {
  command: process.execPath,
  args: ['build'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  // adapter-node takes the site's origin from ORIGIN (else https://<host>), and SvelteKit refuses
  // form posts and the tracker's text/plain events from any other origin.
  env: (origin) => ({ ORIGIN: origin }),
  buildOutput: 'build/index.js',
  labels: { pay: 'Pay' },
};
