import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childAppSuite } from './helpers/child-app.js';
import { checkout, visitor } from './helpers/shop.js';

// These run the built package (dist) in a plain `node` process, the way users load it: an
// ESM app resolves the `import` condition, a CommonJS app the `require` one.
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const suite = childAppSuite();

describe('the built package', () => {
  it.each([
    { format: 'ESM (import) in Express 5', file: 'app.mjs', transactionId: 'ch_from_esm' },
    { format: 'CommonJS (require) in Express 4', file: 'app.cjs', transactionId: 'ch_from_cjs' },
  ])('attributes a payment when loaded as $format', async ({ file, transactionId }) => {
    const app = await suite.start(`${fixtures}${file}`);
    const response = await checkout(
      `${app.url}/checkout`,
      { transaction_id: transactionId },
      `datafast_visitor_id=${visitor}`,
    );

    expect(await response.json()).toEqual({ visitorId: visitor });
    expect(await suite.dev.waitForPayment(transactionId, { timeoutMs: 10_000 })).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });
});
