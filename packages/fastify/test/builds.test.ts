import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { type RunningApp, startApp } from '@datafast-checkout/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkout, visitor } from './helpers/fastify.js';

// The built package (dist) in a plain `node` process, the way users load it: an ESM app resolves
// the `import` condition, a CommonJS app the `require` one.
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let dev: DevServer;
let app: RunningApp | undefined;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());
afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});

const start = (file: string) =>
  startApp({
    command: process.execPath,
    args: [`${fixtures}${file}`],
    cwd: fixtures,
    env: { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url },
  });

describe('the built package', () => {
  it.each([
    { format: 'ESM (import) in Fastify 5', file: 'app.mjs', transactionId: 'ch_from_esm' },
    { format: 'CommonJS (require) in Fastify 4', file: 'app.cjs', transactionId: 'ch_from_cjs' },
  ])('attributes a payment when loaded as $format', async ({ file, transactionId }) => {
    app = await start(file);
    const cookie = `datafast_visitor_id=${visitor}`;
    const response = await checkout(
      `${app.url}/checkout`,
      { transaction_id: transactionId },
      cookie,
    );
    expect(await response.json()).toEqual({ visitorId: visitor });
    expect(await dev.waitForPayment(transactionId, { timeoutMs: 10_000 })).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it('delivers a report still in flight at SIGTERM before the process exits (app.close())', async () => {
    app = await start('app.mjs');
    dev.setFaults({ latencyMs: 500 });
    await checkout(
      `${app.url}/checkout`,
      { transaction_id: 'ch_at_sigterm' },
      `datafast_visitor_id=${visitor}`,
    );
    const exit = await app.stop('SIGTERM');
    app = undefined;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['ch_at_sigterm']);
  });
});
