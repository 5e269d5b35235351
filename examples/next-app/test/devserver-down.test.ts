import { startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CheckoutApp, postJson, startCheckoutApp, visitorId } from './checkout-app.js';

// DataFast unreachable: the devserver is closed after the app has started, so every report meets
// a refused connection and is retried; when a devserver comes back on the same address, the
// reports arrive, each once, attributed.

let checkout: CheckoutApp;
let apiKey: string;
let port: number;

beforeAll(async () => {
  checkout = await startCheckoutApp();
  ({ apiKey, port } = checkout.dev);
  await checkout.dev.close();
});

afterAll(async () => {
  await checkout?.stop();
});

const order = { amount: 49, currency: 'EUR' };
const cookie = `datafast_visitor_id=${visitorId}`;

it('answers the Node.js and Edge checkouts while DataFast is down, and delivers both once it is back', async () => {
  const ids: string[] = [];
  for (const route of ['/api/checkout', '/api/edge-checkout']) {
    const response = await postJson(checkout.app, route, order, cookie);
    expect(response.status).toBe(200);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect(transaction_id).toMatch(/^ch_/);
    ids.push(transaction_id);
  }
  const back = await startDevServer({ port, apiKey });
  try {
    for (const id of ids) {
      const payment = await back.waitForPayment(id, { timeoutMs: 30_000 });
      expect(payment.datafast_visitor_id).toBe(visitorId);
    }
    expect(back.payments()).toHaveLength(2);
  } finally {
    await back.close();
  }
  expect(checkout.app.output()).not.toContain('was not reported to DataFast');
});

it('keeps serving, and never logs the API key', async () => {
  const response = await postJson(checkout.app, '/api/checkout', order, cookie);
  expect(response.status).toBe(200);
  expect(checkout.app.output()).not.toContain(apiKey);
  expect(checkout.app.output()).not.toMatch(/unhandled|uncaught/i);
});
