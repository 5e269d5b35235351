import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CheckoutApp, postJson, startCheckoutApp, visitorId } from './checkout-app.js';

let checkout: CheckoutApp;

beforeAll(async () => {
  checkout = await startCheckoutApp();
});

afterAll(async () => {
  await checkout?.stop();
});

beforeEach(async () => {
  await checkout.dev.reset();
});

const order = { amount: 29.99, currency: 'usd', email: 'ada@example.com' };
const otherVisitor = '0f4c8d2e-5b6a-4c3d-9e8f-7a6b5c4d3e2f';

describe.each([
  { route: '/api/checkout', runtime: 'route handler, Node.js runtime', parsesBody: true },
  { route: '/api/edge-checkout', runtime: 'route handler, Edge runtime', parsesBody: true },
  // Next's own body parser answers malformed JSON there, with a plain-text 400.
  { route: '/api/pages-checkout', runtime: 'Pages Router API route', parsesBody: false },
])('POST $route ($runtime)', ({ route, parsesBody }) => {
  it('answers the transaction id and attributes the payment to the visitor in the cookie', async () => {
    const response = await postJson(checkout.app, route, order, `datafast_visitor_id=${visitorId}`);
    expect(response.status).toBe(200);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect(transaction_id).toMatch(/^ch_/);
    const payment = await checkout.dev.waitForPayment(transaction_id);
    expect(payment).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      email: 'ada@example.com',
      datafast_visitor_id: visitorId,
    });
  });

  it('attributes to the cookie visitor, whatever datafast_visitor_id the body carries', async () => {
    const response = await postJson(
      checkout.app,
      route,
      { ...order, datafast_visitor_id: otherVisitor },
      `datafast_visitor_id=${visitorId}`,
    );
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    const payment = await checkout.dev.waitForPayment(transaction_id);
    expect(payment.datafast_visitor_id).toBe(visitorId);
  });

  it('reports the amount charged, not the amount asked for', async () => {
    // The stand-in processor charges whole cents, as real ones do: 10.005 is charged as 10.01.
    const response = await postJson(checkout.app, route, { amount: 10.005, currency: 'USD' });
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect((await checkout.dev.waitForPayment(transaction_id)).amount).toBe(10.01);
  });

  it('reports the payment unattributed when there is no visitor cookie', async () => {
    const response = await postJson(checkout.app, route, order);
    expect(response.status).toBe(200);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    const payment = await checkout.dev.waitForPayment(transaction_id);
    expect(payment.datafast_visitor_id).toBeUndefined();
  });

  it('answers before the payment is recorded, and the payment arrives after the response', async () => {
    // The devserver holds every report for a second: the route must not wait for it.
    checkout.dev.setFaults({ latencyMs: 1_000 });
    const response = await postJson(checkout.app, route, order, `datafast_visitor_id=${visitorId}`);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect(checkout.dev.payments()).toEqual([]);
    const payment = await checkout.dev.waitForPayment(transaction_id);
    expect(payment.datafast_visitor_id).toBe(visitorId);
  });

  it('answers 400 JSON for bad input and reports nothing', async () => {
    const badAmount = await postJson(checkout.app, route, { amount: 'lots', currency: 'USD' });
    expect(badAmount.status).toBe(400);
    expect(await badAmount.json()).toEqual({ error: 'amount must be a positive number' });
    const badCurrency = await postJson(checkout.app, route, { amount: 5, currency: 'dollars' });
    expect(badCurrency.status).toBe(400);
    const notJson = await postJson(checkout.app, route, 'amount=5');
    expect(notJson.status).toBe(400);
    if (parsesBody) expect(await notJson.json()).toEqual({ error: 'expected a JSON object' });
    // A good checkout after the bad ones is the marker that the app has reported all it will.
    const good = await postJson(checkout.app, route, order);
    const { transaction_id } = (await good.json()) as { transaction_id: string };
    await checkout.dev.waitForPayment(transaction_id);
    expect(checkout.dev.payments().map((payment) => payment.transaction_id)).toEqual([
      transaction_id,
    ]);
  });
});

it('builds /api/edge-checkout for the Edge runtime', async () => {
  const manifest = JSON.parse(
    await readFile(new URL('../.next/server/middleware-manifest.json', import.meta.url), 'utf8'),
  ) as { functions: Record<string, unknown> };
  expect(Object.keys(manifest.functions)).toContain('/api/edge-checkout/route');
});

it('serves the checkout page with the tracking script from its own origin (proxy.ts)', async () => {
  const response = await fetch(checkout.app.url);
  const html = await response.text();
  expect(response.status).toBe(200);
  expect(html).toContain('"/js/script.js"');
  expect(html).not.toContain(checkout.dev.url);
  expect(html).toContain('data-disable-payments');
  expect(html).not.toContain(checkout.dev.apiKey);
  // proxy.ts serves DataFast's script there (locally, the devserver's stand-in).
  const script = await fetch(`${checkout.app.url}/js/script.js`);
  expect(script.headers.get('content-type')).toMatch(/javascript/);
  expect(await script.text()).toContain('datafast_visitor_id');
});

it.each(['/api/checkout', '/api/edge-checkout'])(
  '%s hands its report to after(), which runs the delivery, never to the fallback queue',
  async (route) => {
    const response = await postJson(checkout.app, route, order, `datafast_visitor_id=${visitorId}`);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    await checkout.dev.waitForPayment(transaction_id);
    // The app runs with DATAFAST_DEBUG=1: core says where each delivery went and when it landed.
    await vi.waitFor(() => {
      const output = checkout.app.output();
      expect(output).toContain(`payment ${transaction_id} handed to the platform's waitUntil`);
      expect(output).toContain(`payment ${transaction_id} delivered`);
    });
    // Core logs this warning when `waitUntil` (Next's `after`) refuses a delivery.
    expect(checkout.app.output()).not.toContain('waitUntil refused');
    expect(checkout.app.output()).not.toContain(checkout.dev.apiKey);
  },
);
