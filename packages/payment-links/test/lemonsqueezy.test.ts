// size: LemonSqueezy's mapping, webhook and success page against one API stand-in, as every provider's suite.
import {
  lemonSqueezyEvent,
  lemonSqueezyInvoice,
  lemonSqueezyInvoiceTemplate,
  lemonSqueezyOrder,
  lemonSqueezyOrderTemplate,
  lemonSqueezyWebhookSecret,
  otherVisitor,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import {
  type LemonSqueezyWebhookOptions,
  lemonSqueezyOrder as lemonSqueezyOrderPage,
  lemonSqueezyWebhook,
  mapLemonSqueezyEvent,
} from '../src/lemonsqueezy/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { lemonSqueezyRequest } from './helpers/sign.js';
import { deliver, reportsOf, suiteApiStandIn, visitSuccessPage } from './helpers/suite.js';

const url = 'https://shop.example/api/webhooks/lemonsqueezy';
const context = suiteDevServer();
const carried = { datafast_visitor_id: visitor };
const recorded = (id: unknown) =>
  context.dev.payments().filter((payment) => payment.transaction_id === id);

const lsApi = suiteApiStandIn(() => true);
const handler = (options: LemonSqueezyWebhookOptions = {}) =>
  lemonSqueezyWebhook({ secret: lemonSqueezyWebhookSecret, datafast: context.client, ...options });
const send = (webhook: ReturnType<typeof handler>, event: Record<string, unknown>) =>
  deliver(webhook, lemonSqueezyRequest(url, event, { secret: lemonSqueezyWebhookSecret }));

describe('mapLemonSqueezyEvent', () => {
  it('reports a paid order by its id, its total with tax, the customer and the carried visitor', async () => {
    const order = lemonSqueezyOrder({}, '2468');
    const [report] = await reportsOf(
      mapLemonSqueezyEvent(lemonSqueezyEvent('order_created', order, carried)),
    );
    expect(report).toEqual({
      payment: {
        amount: 35.99,
        currency: 'USD',
        transaction_id: 'ls_order_2468',
        customer_id: '678901',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        timestamp: new Date('2026-01-05T10:00:00Z'),
      },
      carriedVisitorId: visitor,
    });
  });

  it.each([
    ['JPY', 5000, 5000],
    ['KWD', 1500, 1.5],
    ['EUR', 999, 9.99],
  ])('reads %s totals in their own minor unit (%d is %d)', async (currency, total, amount) => {
    const event = lemonSqueezyEvent('order_created', lemonSqueezyOrder({ currency, total }));
    const [report] = await reportsOf(mapLemonSqueezyEvent(event));
    expect(report?.payment).toMatchObject({ amount, currency });
  });

  it('tells a trial (price not charged) from a 100%-off coupon and from a free product', async () => {
    const item = lemonSqueezyOrderTemplate.first_order_item;
    const zero = { subtotal: 0, tax: 0, total: 0 };
    const trial = lemonSqueezyOrder({ ...zero });
    const coupon = lemonSqueezyOrder({ ...zero, discount_total: 2999 });
    const free = lemonSqueezyOrder({ ...zero, first_order_item: { ...item, price: 0 } });
    const flags = [];
    for (const order of [trial, coupon, free]) {
      const [report] = await reportsOf(
        mapLemonSqueezyEvent(lemonSqueezyEvent('order_created', order)),
      );
      flags.push([report?.payment.amount, report?.payment.is_free_trial]);
    }
    expect(flags).toEqual([
      [0, true],
      [0, false],
      [0, false],
    ]);
  });

  it('reports renewal invoices as renewals, leaves the initial invoice to its order, and ignores unpaid orders', async () => {
    const renewal = lemonSqueezyInvoice({}, '77');
    const [report] = await reportsOf(
      mapLemonSqueezyEvent(lemonSqueezyEvent('subscription_payment_success', renewal, carried)),
    );
    expect(report?.payment).toMatchObject({
      transaction_id: 'ls_invoice_77',
      amount: 35.99,
      renewal: true,
    });
    const recovered = mapLemonSqueezyEvent(
      lemonSqueezyEvent('subscription_payment_recovered', renewal),
    );
    expect(await reportsOf(recovered)).toEqual([
      expect.objectContaining({ payment: report?.payment }),
    ]);
    const updated = await reportsOf(
      mapLemonSqueezyEvent(
        lemonSqueezyEvent(
          'subscription_payment_success',
          lemonSqueezyInvoice({ billing_reason: 'updated' }),
        ),
      ),
    );
    // A plan change charges a subscription that already runs: a renewal, as the webhook checks.
    expect(updated[0]?.payment.renewal).toBe(true);
    expect(report?.subscriptionCharge).toEqual({
      subscription: '4321',
      charge: '77',
      at: Date.parse(lemonSqueezyInvoiceTemplate.created_at),
    });
    expect(
      mapLemonSqueezyEvent(
        lemonSqueezyEvent(
          'subscription_payment_success',
          lemonSqueezyInvoice({ billing_reason: 'initial' }),
        ),
      ),
    ).toEqual({ ignored: expect.stringContaining('order_created') });
    expect(
      mapLemonSqueezyEvent(
        lemonSqueezyEvent('order_created', lemonSqueezyOrder({ status: 'pending' })),
      ),
    ).toHaveProperty('ignored');
  });

  it('reports nothing for a zero invoice of a running subscription (a free period: bookkeeping)', () => {
    const free = lemonSqueezyInvoice({ total: 0, subtotal: 0, tax: 0 });
    expect(
      mapLemonSqueezyEvent(lemonSqueezyEvent('subscription_payment_success', free, carried)),
    ).toEqual({ ignored: 'subscription_payment_success: nothing charged' });
  });

  it('reads a refund as the cumulative total it is, never as an amount', () => {
    const order = lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: 1000 }, '5');
    expect(mapLemonSqueezyEvent(lemonSqueezyEvent('order_refunded', order, carried))).toEqual({
      refundTotal: {
        key: 'ls_order_5',
        refundedMinor: 1000n,
        payment: expect.objectContaining({
          currency: 'USD',
          refunded: true,
          customer_id: '678901',
        }),
        carriedVisitorId: visitor,
      },
    });
  });
});

describe('lemonSqueezyWebhook', () => {
  it('reports the first paid invoice after a free trial as new revenue and the next as a renewal, reading the subscription’s invoices', async () => {
    const apiKey = 'ls_test_api_key';
    const subscription_id = 98765;
    const trialInvoice = lemonSqueezyInvoice({
      subscription_id,
      billing_reason: 'initial',
      total: 0,
      subtotal: 0,
      tax: 0,
      created_at: '2026-01-05T10:00:00.000000Z',
    });
    const invoice = (id: string, created_at: string) =>
      lemonSqueezyInvoice({ subscription_id, billing_reason: 'renewal', created_at }, id);
    const afterTrial = invoice('8801', '2026-01-19T10:00:00.000000Z');
    const next = invoice('8802', '2026-02-19T10:00:00.000000Z');
    lsApi.standIn.set(
      '/v1/subscription-invoices',
      { data: [next, afterTrial, trialInvoice], meta: { page: { currentPage: 1, lastPage: 1 } } },
      { 'filter[subscription_id]': String(subscription_id) },
    );
    const webhook = handler({ apiKey, apiBase: lsApi.standIn.url });
    for (const paid of [afterTrial, next]) {
      const event = lemonSqueezyEvent('subscription_payment_success', paid, carried);
      expect((await send(webhook, event)).status).toBe(200);
    }
    expect(recorded('ls_invoice_8801')).toEqual([
      expect.objectContaining({ amount: 35.99, datafast_visitor_id: visitor }),
    ]);
    expect(recorded('ls_invoice_8801')[0]).not.toHaveProperty('renewal', true);
    expect(recorded('ls_invoice_8802')).toEqual([expect.objectContaining({ renewal: true })]);
    expect(lsApi.standIn.requests.at(-1)?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('counts a new subscription once: order_created and the initial invoice are the same money', async () => {
    const order = lemonSqueezyOrder({}, '9001');
    const initial = lemonSqueezyInvoice({ billing_reason: 'initial' });
    const webhook = handler();
    expect(
      (await send(webhook, lemonSqueezyEvent('subscription_payment_success', initial, carried)))
        .body,
    ).toMatchObject({ ignored: expect.any(String) });
    await send(webhook, lemonSqueezyEvent('order_created', order, carried));
    const renewal = lemonSqueezyInvoice({}, '9002');
    await send(webhook, lemonSqueezyEvent('subscription_payment_success', renewal, carried));
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: 'ls_order_9001',
        amount: 35.99,
        datafast_visitor_id: visitor,
      }),
      expect.objectContaining({
        transaction_id: 'ls_invoice_9002',
        renewal: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('keeps one refund record per order at its latest total: redelivered, to a process that remembers nothing, reordered', async () => {
    const id = '3141';
    const refunded = (amount: number) =>
      lemonSqueezyEvent(
        'order_refunded',
        lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: amount }, id),
        carried,
      );
    const webhook = handler();
    expect((await send(webhook, refunded(1000))).body).toEqual({
      received: true,
      reported: [`ls_order_${id}_refund`],
    });
    expect(recorded(`ls_order_${id}_refund`)).toEqual([expect.objectContaining({ amount: 10 })]);
    await send(webhook, refunded(1000)); // redelivered
    await send(webhook, refunded(3599)); // the rest
    await send(handler(), refunded(3599)); // redelivered to a process that remembers nothing
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: `ls_order_${id}_refund`,
        amount: 35.99,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);

    // Totals out of order in one process: the older one, arriving last, changes nothing.
    const other = '2718';
    const total = (amount: number) =>
      lemonSqueezyEvent('order_refunded', lemonSqueezyOrder({ refunded_amount: amount }, other));
    await send(webhook, total(3599));
    expect((await send(webhook, total(1000))).body).toMatchObject({
      ignored: expect.stringContaining('older'),
    });
    expect(recorded(`ls_order_${other}_refund`)).toEqual([
      expect.objectContaining({ amount: 35.99 }),
    ]);
  });

  it('ends at the latest total when two totals of one order race in one process', async () => {
    const webhook = handler();
    for (const [id, order] of [
      ['4001', [1000, 2500]],
      ['4002', [2500, 1000]],
    ] as const) {
      const events = order.map((amount) =>
        lemonSqueezyEvent(
          'order_refunded',
          lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: amount }, id),
        ),
      );
      const answers = await Promise.all(events.map((event) => send(webhook, event)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(recorded(`ls_order_${id}_refund`)).toEqual([expect.objectContaining({ amount: 25 })]);
    }
    expect(context.dev.payments()).toHaveLength(2);
  });

  it('with a shared refundTotals, ignores an older total on another process; remembers a total only once DataFast has it', async () => {
    const shared = new Map<string, number>();
    const refunded = (amount: number) =>
      lemonSqueezyEvent(
        'subscription_payment_refunded',
        lemonSqueezyInvoice({ refunded_amount: amount }, '404'),
      );
    context.dev.setFaults({ failureRate: 1, failureStatus: 503 });
    const down = await send(handler({ refundTotals: shared, onError() {} }), refunded(1500));
    context.dev.setFaults({});
    expect(down.status).toBe(502);
    expect(shared.size).toBe(0);
    await send(handler({ refundTotals: shared }), refunded(1500));
    const older = await send(handler({ refundTotals: shared }), refunded(500)); // another process
    expect(older.body).toMatchObject({ ignored: expect.stringContaining('older') });
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: 'ls_invoice_404_refund', amount: 15 }),
    ]);
    expect(shared.get('ls_invoice_404')).toBe(1500);
  });
});

describe('lemonSqueezyOrder (success page)', () => {
  const apiKey = 'ls_test_api_key';
  const api = suiteApiStandIn((headers) => headers.authorization === `Bearer ${apiKey}`);
  const page = () => lemonSqueezyOrderPage({ apiKey, apiBase: api.standIn.url });

  it('reads ?order_id= from the API and reports the webhook’s id, attributed by the cookie; a reload adds nothing', async () => {
    api.standIn.set('/v1/orders/5150', { data: lemonSqueezyOrder({}, '5150') });
    const first = await visitSuccessPage(
      context,
      page(),
      'https://shop.example/thanks?order_id=5150',
      otherVisitor,
    );
    expect(first.payment).toMatchObject({
      transaction_id: 'ls_order_5150',
      amount: 35.99,
      datafast_visitor_id: otherVisitor,
    });
    await visitSuccessPage(
      context,
      page(),
      'https://shop.example/thanks?order_id=5150',
      otherVisitor,
    );
    expect(recorded('ls_order_5150')).toHaveLength(1);
    expect(api.standIn.requests.at(-1)?.headers.accept).toBe('application/vnd.api+json');
  });

  it('reports nothing for an unpaid, unknown or missing order, and passes API failures to onError', async () => {
    api.standIn.set('/v1/orders/6', { data: lemonSqueezyOrder({ status: 'pending' }, '6') });
    for (const query of ['?order_id=6', '?order_id=7', '', '?order_id=../admin']) {
      expect(
        (await visitSuccessPage(context, page(), `https://shop.example/thanks${query}`)).payment,
      ).toBeNull();
    }
    api.standIn.failNext(1);
    const failed = await visitSuccessPage(
      context,
      page(),
      'https://shop.example/thanks?order_id=5150',
    );
    expect([failed.payment, String(failed.errors[0])]).toEqual([
      null,
      expect.stringContaining('LemonSqueezy API answered 500'),
    ]);
    expect(context.dev.payments()).toEqual([]);
  });
});
