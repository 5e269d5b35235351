import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type CheckoutApp, postJson, startCheckoutApp, visitorId } from './checkout-app.js';

// DataFast unreachable: the devserver is closed after the app has started, so every report meets
// a refused connection, is retried with backoff, and finally reaches the app's onError log line.

let checkout: CheckoutApp;
let apiKey: string;

beforeAll(async () => {
  checkout = await startCheckoutApp();
  apiKey = checkout.dev.apiKey;
  await checkout.dev.close();
});

afterAll(async () => {
  await checkout?.stop();
});

const order = { amount: 49, currency: 'EUR' };
const cookie = `datafast_visitor_id=${visitorId}`;

it.each(['/api/checkout', '/api/edge-checkout'])(
  '%s still answers the checkout, and the failed report is logged, not thrown',
  async (route) => {
    const response = await postJson(checkout.app, route, order, cookie);
    expect(response.status).toBe(200);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect(transaction_id).toMatch(/^ch_/);
    // Retries take a few seconds of backoff; then the example's onError logs one line.
    await vi.waitFor(
      () =>
        expect(checkout.app.output()).toContain(
          `[checkout] payment ${transaction_id} was not reported to DataFast (network_error)`,
        ),
      { timeout: 20_000, interval: 100 },
    );
  },
);

it('keeps serving, and never logs the API key', async () => {
  const response = await postJson(checkout.app, '/api/checkout', order, cookie);
  expect(response.status).toBe(200);
  expect(checkout.app.output()).not.toContain(apiKey);
  expect(checkout.app.output()).not.toMatch(/unhandled|uncaught/i);
});
