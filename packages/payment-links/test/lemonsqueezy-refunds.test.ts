/**
 * LemonSqueezy sends a refund as the order's refunded total so far (10.00, then 25.00 after a
 * second partial refund). Whichever instance receives each total, and in whatever order, DataFast
 * must end with 25.00 refunded, never 35.00: two app instances in two processes (the built
 * package, nothing shared but DataFast) against a real devserver, and racing deliveries.
 */
import { fileURLToPath } from 'node:url';
import {
  type ApiStandIn,
  lemonSqueezyEvent,
  lemonSqueezyOrder,
  lemonSqueezyWebhookSecret,
  type RunningApp,
  startApiStandIn,
  startApp,
  visitor,
} from '@datafast-checkout/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteDevServer } from './helpers/datafast.js';
import { lemonSqueezyRequest } from './helpers/sign.js';

const context = suiteDevServer();
const apiKey = 'ls_test_instances_key';
const carried = { datafast_visitor_id: visitor };
const instanceScript = fileURLToPath(
  new URL('./support/lemonsqueezy-instance.mjs', import.meta.url),
);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

let api: ApiStandIn;
beforeAll(async () => {
  api = await startApiStandIn((headers) => headers.authorization === `Bearer ${apiKey}`);
});
afterAll(() => api?.close());

/** Two instances of the app, with or without LemonSqueezy's API. */
function instances(withApi: boolean): { a: RunningApp; b: RunningApp } {
  const apps = {} as { a: RunningApp; b: RunningApp };
  beforeAll(async () => {
    const start = () =>
      startApp({
        command: process.execPath,
        args: [instanceScript],
        cwd: packageDir,
        env: {
          DATAFAST_API_KEY: context.dev.apiKey,
          DATAFAST_BASE_URL: context.dev.url,
          LEMONSQUEEZY_WEBHOOK_SECRET: lemonSqueezyWebhookSecret,
          LEMONSQUEEZY_API_KEY: withApi ? apiKey : '',
          LEMONSQUEEZY_API_BASE: withApi ? api.url : '',
        },
      });
    [apps.a, apps.b] = await Promise.all([start(), start()]);
  });
  afterAll(async () => {
    await Promise.all([apps.a?.stop(), apps.b?.stop()]);
  });
  return apps;
}

/** The order's refunded total event, signed as LemonSqueezy signs it. */
const refunded = (orderId: string, totalMinor: number) =>
  lemonSqueezyEvent(
    'order_refunded',
    lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: totalMinor }, orderId),
    carried,
  );

async function deliver(app: RunningApp, event: Record<string, unknown>): Promise<number> {
  const signed = lemonSqueezyRequest(`${app.url}/api/webhooks/lemonsqueezy`, event, {
    secret: lemonSqueezyWebhookSecret,
  });
  const response = await fetch(signed.url, {
    method: 'POST',
    headers: signed.headers,
    body: await signed.text(),
  });
  return response.status;
}

/** What DataFast holds as refunded for the order, in major units. */
const refundedInDataFast = (orderId: string) =>
  context.dev
    .payments()
    .filter((p) => p.refunded && p.transaction_id.startsWith(`ls_order_${orderId}_`))
    .reduce((sum, p) => sum + p.amount, 0);

describe('LemonSqueezy partial refunds on two instances, no LemonSqueezy API key', () => {
  const apps = instances(false);

  it('ends at the latest total when each total reaches another instance (10.00 then 25.00 is 25.00)', async () => {
    expect(await deliver(apps.a, refunded('7001', 1000))).toBe(200);
    expect(refundedInDataFast('7001')).toBe(10);
    expect(await deliver(apps.b, refunded('7001', 2500))).toBe(200);
    expect(await deliver(apps.a, refunded('7001', 2500))).toBe(200); // redelivered elsewhere
    expect(refundedInDataFast('7001')).toBe(25);
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: 'ls_order_7001_refund',
        amount: 25,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('survives a restart: a total after it replaces the one before it', async () => {
    expect(await deliver(apps.a, refunded('7002', 1000))).toBe(200);
    await apps.a.stop('SIGKILL');
    expect(await deliver(apps.b, refunded('7002', 3599))).toBe(200);
    expect(refundedInDataFast('7002')).toBe(35.99);
  });
});

describe('LemonSqueezy partial refunds on two instances, with the API key', () => {
  const apps = instances(true);

  it('ends at the latest total when the two totals race to the two instances, whatever the order', async () => {
    const orders = ['7101', '7102', '7103', '7104', '7105', '7106'];
    for (const id of orders) {
      api.set(`/v1/orders/${id}`, {
        data: lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: 2500 }, id),
      });
    }
    // Both totals of each order at once, to both instances, the older one first half the time.
    const statuses = await Promise.all(
      orders.flatMap((id, index) => {
        const [first, second] = index % 2 === 0 ? [apps.a, apps.b] : [apps.b, apps.a];
        return [deliver(first, refunded(id, 1000)), deliver(second, refunded(id, 2500))];
      }),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(orders.map(refundedInDataFast)).toEqual(orders.map(() => 25));
  });

  it('ends at the latest total when the older total is redelivered after the newer one', async () => {
    api.set('/v1/orders/7201', {
      data: lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: 2500 }, '7201'),
    });
    expect(await deliver(apps.b, refunded('7201', 2500))).toBe(200);
    expect(await deliver(apps.a, refunded('7201', 1000))).toBe(200);
    expect(refundedInDataFast('7201')).toBe(25);
  });
});
