import {
  otherVisitor,
  polarEvent,
  polarLinkMetadata,
  polarOrder,
  polarRefund,
  polarWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import {
  mapPolarEvent,
  type PolarWebhookOptions,
  polarCheckout,
  polarWebhook,
} from '../src/polar/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { standardWebhookRequest } from './helpers/sign.js';
import { deliver, reportsOf, suiteApiStandIn, visitSuccessPage } from './helpers/suite.js';

const url = 'https://shop.example/api/webhooks/polar';
const context = suiteDevServer();
const accessToken = 'polar_oat_stand_in_token';
const api = suiteApiStandIn((headers) => headers.authorization === `Bearer ${accessToken}`);

const handler = (options: PolarWebhookOptions = {}) =>
  polarWebhook({ secret: polarWebhookSecret, datafast: context.client, ...options });
const send = (webhook: ReturnType<typeof handler>, event: Record<string, unknown>) =>
  deliver(
    webhook,
    standardWebhookRequest(url, event, { secret: polarWebhookSecret, secretEncoding: 'utf8' }),
  );

describe('mapPolarEvent', () => {
  it('reports order.paid by the order id and total (tax included), with the checkout link’s reference_id as visitor', async () => {
    const order = polarOrder({ metadata: polarLinkMetadata });
    const [report] = await reportsOf(mapPolarEvent(polarEvent('order.paid', order)));
    expect(report).toEqual({
      payment: {
        amount: 35.99,
        currency: 'usd',
        transaction_id: order.id,
        customer_id: order.customer_id,
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        timestamp: new Date('2026-01-05T10:00:04Z'),
      },
      carriedVisitorId: visitor,
    });
  });

  it('waits for order.paid: order.created and an unpaid order report nothing', () => {
    expect(mapPolarEvent(polarEvent('order.created', polarOrder()))).toEqual({
      ignored: expect.stringContaining('order.paid'),
    });
    expect(
      mapPolarEvent(polarEvent('order.paid', polarOrder({ paid: false, status: 'pending' }))),
    ).toHaveProperty('ignored');
  });

  it('marks subscription_cycle orders as renewals, attributed through the subscription’s metadata', async () => {
    const renewal = polarOrder(
      { billing_reason: 'subscription_cycle' },
      { subscriptionMetadata: { datafast_visitor_id: visitor } },
    );
    const first = polarOrder({}, { subscriptionMetadata: {} });
    const [cycle] = await reportsOf(mapPolarEvent(polarEvent('order.paid', renewal)));
    const [create] = await reportsOf(mapPolarEvent(polarEvent('order.paid', first)));
    expect([cycle?.payment.renewal, cycle?.carriedVisitorId]).toEqual([true, visitor]);
    expect(create?.payment.renewal).toBeUndefined();
  });

  it('takes a subscription’s cycle and update orders for renewals, naming the order to check, and reports no zero one', async () => {
    for (const billing_reason of ['subscription_cycle', 'subscription_update']) {
      const order = polarOrder({ billing_reason }, { subscriptionMetadata: {} });
      const [report] = await reportsOf(mapPolarEvent(polarEvent('order.paid', order)));
      expect([report?.payment.renewal, report?.subscriptionCharge]).toEqual([
        true,
        {
          subscription: order.subscription_id,
          charge: order.id,
          at: Date.parse('2026-01-05T10:00:04Z'),
        },
      ]);
      const zero = {
        ...order,
        net_amount: 0,
        tax_amount: 0,
        total_amount: 0,
        discount_amount: 2999,
      };
      expect(mapPolarEvent(polarEvent('order.paid', zero))).toEqual({
        ignored: `order.paid: a zero ${billing_reason} order charges nothing`,
      });
    }
  });

  it('tells a free trial from a 100%-off first order, and reads JPY and KWD totals exactly', async () => {
    const zero = { subtotal_amount: 2999, net_amount: 0, tax_amount: 0, total_amount: 0 };
    const trial = polarOrder(
      { ...zero, billing_reason: 'subscription_create' },
      { subscriptionMetadata: {} },
    );
    const coupon = polarOrder(
      { ...zero, discount_amount: 2999, billing_reason: 'subscription_create' },
      { subscriptionMetadata: {} },
    );
    const yen = polarOrder({ currency: 'jpy', total_amount: 4500 });
    const dinar = polarOrder({ currency: 'kwd', total_amount: 12345 });
    const payments = [];
    for (const order of [trial, coupon, yen, dinar]) {
      const [report] = await reportsOf(mapPolarEvent(polarEvent('order.paid', order)));
      payments.push(report?.payment);
    }
    expect(payments.map((payment) => [payment?.amount, payment?.is_free_trial])).toEqual([
      [0, true],
      [0, false],
      [4500, undefined],
      [12.345, undefined],
    ]);
  });

  it('reports a succeeded refund by its id with its tax, and nothing before it succeeds', async () => {
    const order = polarOrder();
    const refund = polarRefund(order, { amount: 1000, tax_amount: 200 });
    expect(
      mapPolarEvent(polarEvent('refund.created', { ...refund, status: 'pending' })),
    ).toHaveProperty('ignored');
    const [report] = await reportsOf(mapPolarEvent(polarEvent('refund.updated', refund)));
    expect(report).toEqual({
      payment: expect.objectContaining({ transaction_id: refund.id, amount: 12, refunded: true }),
      findVisitor: { orderId: order.id },
    });
  });
});

describe('polarWebhook', () => {
  it('answers 503 when the subscription’s orders cannot be read (rather than guess a renewal), and records it once they can', async () => {
    const order = polarOrder(
      { billing_reason: 'subscription_cycle' },
      { subscriptionMetadata: { datafast_visitor_id: visitor } },
    );
    api.standIn.set(
      '/v1/orders/',
      { items: [order], pagination: { total_count: 1, max_page: 1 } },
      { subscription_id: order.subscription_id as string },
    );
    const errors: string[] = [];
    const webhook = handler({
      accessToken,
      apiBase: api.standIn.url,
      onError: (error) => errors.push(error.message),
    });
    api.standIn.failNext(1);
    const down = await send(webhook, polarEvent('order.paid', order));
    expect(down).toMatchObject({ status: 503, body: { error: { code: 'lookup_failed' } } });
    expect(context.dev.payments()).toEqual([]);
    expect((await send(webhook, polarEvent('order.paid', order))).status).toBe(200);
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: order.id, datafast_visitor_id: visitor }),
    ]);
    expect(context.dev.payments()[0]).not.toHaveProperty('renewal', true);
    expect(errors).toEqual([expect.stringContaining('reading the charges of subscription')]);
  });

  it('reports the first paid order after a free trial as new revenue and the next as a renewal, reading the subscription’s orders', async () => {
    const carried = { datafast_visitor_id: visitor };
    const trial = polarOrder(
      { net_amount: 0, tax_amount: 0, total_amount: 0, created_at: '2026-01-05T10:00:04Z' },
      { subscriptionMetadata: carried },
    );
    const subscription = trial.subscription_id as string;
    const cycle = (created_at: string) => ({
      ...polarOrder(
        { billing_reason: 'subscription_cycle', created_at },
        { subscriptionMetadata: carried },
      ),
      subscription_id: subscription,
    });
    const afterTrial = cycle('2026-01-19T10:00:04Z');
    const next = cycle('2026-02-19T10:00:04Z');
    api.standIn.set(
      '/v1/orders/',
      { items: [next, afterTrial, trial], pagination: { total_count: 3, max_page: 1 } },
      { subscription_id: subscription },
    );
    const webhook = handler({ accessToken, apiBase: api.standIn.url });
    for (const order of [trial, afterTrial, next]) {
      expect((await send(webhook, polarEvent('order.paid', order))).status).toBe(200);
    }
    const recorded = (order: Record<string, unknown>) =>
      context.dev.payments().find((payment) => payment.transaction_id === order.id);
    expect(recorded(trial)).toMatchObject({ amount: 0, is_free_trial: true });
    expect(recorded(afterTrial)).toMatchObject({ amount: 35.99, datafast_visitor_id: visitor });
    expect(recorded(afterTrial)).not.toHaveProperty('renewal', true);
    expect(recorded(next)).toMatchObject({ amount: 35.99, renewal: true });
  });

  it('reports partial and full refunds once each, attributed through the order read with the access token', async () => {
    const order = polarOrder({ metadata: { datafast_visitor_id: visitor } });
    api.standIn.set(`/v1/orders/${order.id}`, order);
    const partial = polarRefund(order, { amount: 999, tax_amount: 200 });
    const rest = polarRefund(order, { amount: 2000, tax_amount: 400 });
    const webhook = handler({ accessToken, apiBase: api.standIn.url });
    await send(webhook, polarEvent('order.paid', order));
    await send(webhook, polarEvent('refund.created', { ...partial, status: 'pending' }));
    await send(webhook, polarEvent('refund.updated', partial));
    await send(webhook, polarEvent('refund.updated', partial));
    await send(
      handler({ accessToken, apiBase: api.standIn.url }),
      polarEvent('refund.created', rest),
    );
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: order.id,
        amount: 35.99,
        datafast_visitor_id: visitor,
      }),
      expect.objectContaining({
        transaction_id: partial.id,
        amount: 11.99,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
      expect.objectContaining({
        transaction_id: rest.id,
        amount: 24,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
    expect(api.standIn.requests.at(-1)).toMatchObject({ path: `/v1/orders/${order.id}` });
  });
});

describe('polarCheckout (success page)', () => {
  const page = () => polarCheckout({ accessToken, apiBase: api.standIn.url });

  it('finds the checkout’s order and reports it under the order id the webhook uses, once', async () => {
    const order = polarOrder({ metadata: polarLinkMetadata });
    api.standIn.set(
      '/v1/orders/',
      { items: [order], pagination: { total_count: 1, max_page: 1 } },
      {
        checkout_id: order.checkout_id as string,
      },
    );
    const visitPage = () =>
      visitSuccessPage(
        context,
        page(),
        `https://shop.example/success?checkout_id=${order.checkout_id}`,
        otherVisitor,
      );
    expect((await visitPage()).payment).toMatchObject({
      transaction_id: order.id,
      datafast_visitor_id: visitor,
    });
    await send(handler(), polarEvent('order.paid', order));
    await visitPage();
    expect(context.dev.payments()).toHaveLength(1);
  });

  it('reports nothing while the order is not paid, or for an unknown checkout', async () => {
    const unpaid = polarOrder({ paid: false, status: 'pending' });
    api.standIn.set(
      '/v1/orders/',
      { items: [unpaid] },
      { checkout_id: unpaid.checkout_id as string },
    );
    for (const id of [unpaid.checkout_id, 'unknown-checkout']) {
      expect(
        (await visitSuccessPage(context, page(), `https://shop.example/success?checkout_id=${id}`))
          .payment,
      ).toBeNull();
    }
    expect(context.dev.payments()).toEqual([]);
  });
});
