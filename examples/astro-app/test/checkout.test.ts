import { describeCheckoutApi } from '@datafast-checkout/devserver/testing/vitest';
import { example } from './example.js';

// The built app exactly as users run it (`node ./dist/server/entry.mjs`), against a devserver
// over HTTP: the contract's checkout, the page's tracker tag, and a report in flight delivered on
// SIGTERM (flushOnShutdown in src/middleware.ts: @astrojs/node has no shutdown hook).
describeCheckoutApi(example);
