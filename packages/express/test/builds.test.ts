import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

describe('the README quickstart', () => {
  it.each([
    { format: 'esm', file: 'quickstart.mjs' },
    { format: 'cjs', file: 'quickstart.cjs' },
  ])('runs as written ($format) and attributes the payment', async ({ format, file }) => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const code = new RegExp(`<!-- quickstart-${format} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(
      readme,
    )?.[1];
    expect(code, `README.md has a js block after <!-- quickstart-${format} -->`).toBeDefined();
    // The README leaves the payment processor to the reader; this stand-in charges nothing.
    const standIn =
      'const chargeCustomer = async ({ amount, currency, id }) => ({ id, amount, currency });\n';
    const dir = new URL('./.quickstart/', import.meta.url);
    await mkdir(dir, { recursive: true });
    await writeFile(new URL(file, dir), standIn + code);

    const app = await suite.start(fileURLToPath(new URL(file, dir)));
    const transactionId = `ch_readme_${format}`;
    const response = await checkout(
      `${app.url}/api/checkout`,
      { amount: 29.99, currency: 'USD', id: transactionId },
      `datafast_visitor_id=${visitor}`,
    );

    expect(await response.json()).toEqual({ transaction_id: transactionId });
    expect(await suite.dev.waitForPayment(transactionId, { timeoutMs: 10_000 })).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  });
});
