import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { type RunningApp, startApp } from '@datafast-checkout/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkout, visitor } from './helpers/shop.js';

// These run the built package (dist) in a plain `node` process, the way users load it: an
// ESM app resolves the `import` condition, a CommonJS app the `require` one.
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let dev: DevServer;
let app: RunningApp | undefined;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('the built package', () => {
  it.each([
    { format: 'ESM (import) in Express 5', file: 'app.mjs', transactionId: 'ch_from_esm' },
    { format: 'CommonJS (require) in Express 4', file: 'app.cjs', transactionId: 'ch_from_cjs' },
  ])('attributes a payment when loaded as $format', async ({ file, transactionId }) => {
    app = await startApp({
      command: process.execPath,
      args: [`${fixtures}${file}`],
      cwd: fixtures,
      env: { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url },
    });
    const response = await checkout(
      `${app.url}/checkout`,
      { transaction_id: transactionId },
      `datafast_visitor_id=${visitor}`,
    );

    expect(await response.json()).toEqual({ visitorId: visitor });
    expect(await dev.waitForPayment(transactionId, { timeoutMs: 10_000 })).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });
});
