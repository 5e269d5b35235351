import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@datafast-checkout/devserver/testing';

/**
 * This app as the shared suites start it: `node server.js`, what `npm run start` runs. Change the
 * routes or labels here when you change them in the app (see `ExampleApp`).
 */
export const example: ExampleApp = {
  command: process.execPath,
  args: ['server.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
};
