// size: Creem's mapping, webhook and success page against one API stand-in, as every provider's suite.
/**
 * Creem, including what both open-source creem-datafast packages get wrong: refunds attributed
 * (through the refund's checkout or subscription metadata), the first charge of a subscription
 * counted once and never as a renewal, and test-mode keys sent to Creem's test API.
 */
import {
  creemCheckout,
  creemDispute,
  creemEvent,
  creemRefund,
  creemSubscription,
  creemTestApiKey,
  creemTransaction,
  creemWebhookSecret,
  otherVisitor,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import { creemApi } from '../src/creem/api.js';
import {
  type CreemWebhookOptions,
  creemCheckout as creemCheckoutPage,
  creemWebhook,
  mapCreemEvent,
} from '../src/creem/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { creemRequest, standardWebhookRequest } from './helpers/sign.js';
import { deliver, reportsOf, suiteApiStandIn, visitSuccessPage } from './helpers/suite.js';

type Json = Record<string, unknown>;
const url = 'https://shop.example/api/webhooks/creem';
const context = suiteDevServer();
const api = suiteApiStandIn((headers) => headers['x-api-key'] === creemTestApiKey);
const carried = { datafast_visitor_id: visitor };
const recorded = (id: unknown) =>
  context.dev.payments().filter((payment) => payment.transaction_id === id);

const handler = (options: CreemWebhookOptions = {}) =>
  creemWebhook({ secret: creemWebhookSecret, datafast: context.client, ...options });
const send = (webhook: ReturnType<typeof handler>, event: Json) =>
  deliver(webhook, creemRequest(url, event, { secret: creemWebhookSecret }));

/** A subscription whose first charge (the checkout) is `tran_…`, and its checkout. */
function newSubscription(overrides: Json = {}) {
  const subscription = creemSubscription({ metadata: carried, ...overrides });
  const transaction = creemTransaction({
    id: subscription.last_transaction_id,
    subscription: subscription.id,
  });
  const checkout = creemCheckout({}, { subscription, metadata: carried });
  return { subscription: { ...subscription, last_transaction: transaction } as Json, checkout };
}

/**
 * A subscription's first charge as Creem's own samples send it (https://docs.creem.io/code/webhooks,
 * `checkout.completed` and `subscription.paid`): the checkout's order gives only its pre-tax
 * `amount` and no `transaction`, `subscription.paid` only `last_transaction_id`. The stand-in
 * answers what the webhook reads: the transaction, the order's transactions and the customer's.
 */
function publishedShape(orderNamesIt: boolean, options: { listed?: boolean } = {}) {
  const customer = `cust_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const base = newSubscription({ customer: { id: customer, email: 'ada@example.com' } });
  const transaction = {
    ...(base.subscription.last_transaction as Json),
    customer,
    subscription: base.subscription.id,
  } as unknown as Json & { id: string };
  const order = base.checkout.order as Json;
  const published = {
    id: order.id,
    customer,
    product: order.product,
    amount: 1000,
    currency: 'EUR',
    status: 'paid',
    type: 'recurring',
    created_at: order.created_at,
    updated_at: order.updated_at,
    mode: 'test',
  };
  const checkout: Json = {
    ...base.checkout,
    order: orderNamesIt ? { ...order, customer } : published,
  };
  const { last_transaction: _embedded, ...subscription } = base.subscription;
  api.standIn.set('/v1/transactions', transaction, { transaction_id: transaction.id });
  if (options.listed !== false) {
    api.standIn.set(
      '/v1/transactions/search',
      { items: [transaction], pagination: { next_page: null } },
      { order_id: order.id as string },
    );
  }
  api.standIn.set(
    '/v1/transactions/search',
    { items: [transaction], pagination: { next_page: null } },
    { customer_id: customer },
  );
  return { checkout, subscription, transaction };
}

describe('mapCreemEvent', () => {
  it('reports checkout.completed under the order’s transaction id, with amount_paid (tax included)', async () => {
    const checkout = creemCheckout({}, { metadata: carried });
    const [report] = await reportsOf(mapCreemEvent(creemEvent('checkout.completed', checkout)));
    expect(report).toEqual({
      payment: {
        amount: 12.1,
        currency: 'EUR',
        transaction_id: (checkout.order as Json).transaction,
        customer_id: 'cust_1OcIK1GEuVvXZwD19tjq2z',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        timestamp: new Date('2026-01-12T11:58:33.097Z'),
      },
      carriedVisitorId: visitor,
    });
  });

  it('reads the envelope Creem’s SDK also accepts (type and data) and JPY amounts in yen', async () => {
    const checkout = creemCheckout(
      {},
      {
        order: {
          currency: 'JPY',
          amount: 5000,
          tax_amount: 500,
          amount_due: 5500,
          amount_paid: 5500,
        },
      },
    );
    const [report] = await reportsOf(
      mapCreemEvent({ id: 'evt_1', type: 'checkout.completed', data: checkout }),
    );
    expect(report?.payment).toMatchObject({ amount: 5500, currency: 'JPY' });
  });

  it('leaves a charged order that names no transaction or amount paid to the API (its amount is before tax), and reports one that charged nothing under its order id', async () => {
    for (const missing of [
      { transaction: undefined },
      { amount_paid: undefined, amount_due: undefined },
    ]) {
      const checkout = creemCheckout({}, { order: missing });
      expect(mapCreemEvent(creemEvent('checkout.completed', checkout))).toEqual({
        ignored: expect.stringContaining('names no transaction or amount paid'),
      });
    }
    const trial = creemCheckout(
      {},
      {
        subscription: creemSubscription({ status: 'trialing' }),
        order: { transaction: undefined, amount_paid: undefined, amount_due: undefined },
      },
    );
    const [report] = await reportsOf(mapCreemEvent(creemEvent('checkout.completed', trial)));
    expect(report?.payment).toMatchObject({
      transaction_id: (trial.order as Json).id,
      amount: 0,
      is_free_trial: true,
    });
  });

  it('never calls the first charge a renewal; a later period is one', async () => {
    const { subscription } = newSubscription();
    const [first] = await reportsOf(mapCreemEvent(creemEvent('subscription.paid', subscription)));
    const renewed = {
      ...subscription,
      last_transaction_id: 'tran_renewal1',
      current_period_start_date: '2026-02-12T11:58:38.000Z',
      last_transaction: creemTransaction({
        id: 'tran_renewal1',
        period_start: Date.parse('2026-02-12T11:58:38.000Z'),
      }),
    };
    const [renewal] = await reportsOf(mapCreemEvent(creemEvent('subscription.paid', renewed)));
    expect([first?.payment.renewal, first?.carriedVisitorId]).toEqual([undefined, visitor]);
    expect(renewal?.payment).toMatchObject({
      transaction_id: 'tran_renewal1',
      renewal: true,
      amount: 12.1,
    });
  });

  it('reports nothing for a subscription charge of zero (a free period: bookkeeping, not a payment)', () => {
    const { subscription } = newSubscription();
    const free = {
      ...subscription,
      last_transaction: creemTransaction({ amount: 0, amount_paid: 0, tax_amount: 0 }),
    };
    expect(mapCreemEvent(creemEvent('subscription.paid', free))).toEqual({
      ignored: 'subscription.paid: nothing charged',
    });
  });

  it('tells a trial from a 100%-off first charge', async () => {
    const zero = { amount: 0, tax_amount: 0, amount_due: 0, amount_paid: 0 };
    const trial = newSubscription({ status: 'trialing' }).checkout;
    const coupon = creemCheckout(
      {},
      { subscription: creemSubscription(), order: { ...zero, discount_amount: 1000 } },
    );
    const flags = [];
    for (const checkout of [{ ...trial, order: { ...(trial.order as Json), ...zero } }, coupon]) {
      const [report] = await reportsOf(mapCreemEvent(creemEvent('checkout.completed', checkout)));
      flags.push([report?.payment.amount, report?.payment.is_free_trial]);
    }
    expect(flags).toEqual([
      [0, true],
      [0, false],
    ]);
  });
});

describe('creemWebhook', () => {
  it('counts a subscription’s first charge once, whichever of its two events arrives first', async () => {
    for (const order of ['checkout first', 'subscription.paid first']) {
      const { subscription, checkout } = newSubscription();
      const events = [
        creemEvent('checkout.completed', checkout),
        creemEvent('subscription.paid', subscription),
      ];
      if (order !== 'checkout first') events.reverse();
      const webhook = handler();
      for (const event of events) expect((await send(webhook, event)).status).toBe(200);
      expect(recorded(subscription.last_transaction_id)).toEqual([
        expect.objectContaining({ amount: 12.1, datafast_visitor_id: visitor }),
      ]);
      expect(recorded(subscription.last_transaction_id)[0]).not.toHaveProperty('renewal', true);
    }
    expect(context.dev.payments()).toHaveLength(2);
  });

  it('counts a first charge once, at what the customer paid, in either order, with or without order.transaction, redelivered', async () => {
    const webhook = handler({ apiKey: creemTestApiKey, apiBase: api.standIn.url });
    for (const scenario of ['checkout first', 'subscription.paid first', 'order names it']) {
      const { subscription, checkout, transaction } = publishedShape(scenario === 'order names it');
      const before = context.dev.payments().length;
      const events = [
        creemEvent('checkout.completed', checkout),
        creemEvent('subscription.paid', subscription),
      ];
      if (scenario === 'subscription.paid first') events.reverse();
      for (const event of [...events, ...events]) {
        expect((await send(webhook, event)).status).toBe(200);
      }
      const records = context.dev.payments().slice(before);
      expect(records).toEqual([
        expect.objectContaining({
          transaction_id: transaction.id,
          amount: 12.1,
          currency: 'EUR',
          datafast_visitor_id: visitor,
        }),
      ]);
      expect(records[0]).not.toHaveProperty('renewal', true);
    }
  });

  it('answers 5xx until Creem lists the transaction that paid the order, then records it once', async () => {
    const { checkout, transaction } = publishedShape(false, { listed: false });
    const webhook = handler({ apiKey: creemTestApiKey, apiBase: api.standIn.url });
    const event = creemEvent('checkout.completed', checkout);
    const early = await send(webhook, event);
    expect(early).toMatchObject({
      status: 500,
      body: { error: { message: expect.stringContaining('lists no paid transaction') } },
    });
    expect(context.dev.payments()).toEqual([]);
    api.standIn.set(
      '/v1/transactions/search',
      { items: [transaction], pagination: { next_page: null } },
      { order_id: (checkout.order as Json).id as string },
    );
    expect((await send(webhook, event)).status).toBe(200);
    expect(recorded(transaction.id)).toEqual([expect.objectContaining({ amount: 12.1 })]);
    const unconfigured = await send(handler(), event);
    expect(unconfigured).toMatchObject({
      status: 503,
      body: { error: { code: 'not_configured' } },
    });
  });

  it('reports the first paid charge after a free trial as new revenue and the next as a renewal', async () => {
    const customer = `cust_trial_${Date.now()}`;
    const subscription = creemSubscription({
      metadata: carried,
      customer: { id: customer, email: 'ada@example.com' },
      created_at: '2026-01-05T10:00:00.000Z',
    });
    const charge = (id: string, createdAt: string) =>
      creemTransaction({
        id,
        subscription: subscription.id,
        customer,
        period_start: Date.parse(createdAt),
        created_at: Date.parse(createdAt),
      });
    const afterTrial = charge(`tran_after_trial_${Date.now()}`, '2026-01-19T10:00:00.000Z');
    const next = charge(`tran_next_${Date.now()}`, '2026-02-19T10:00:00.000Z');
    api.standIn.set(
      '/v1/transactions/search',
      // The trial charged nothing: Creem lists no transaction for it.
      { items: [next, afterTrial], pagination: { next_page: null } },
      { customer_id: customer },
    );
    const webhook = handler({ apiKey: creemTestApiKey, apiBase: api.standIn.url });
    for (const transaction of [afterTrial, next]) {
      const paid = {
        ...subscription,
        last_transaction_id: transaction.id,
        last_transaction: transaction,
      };
      expect((await send(webhook, creemEvent('subscription.paid', paid))).status).toBe(200);
    }
    expect(recorded(afterTrial.id)).toEqual([
      expect.objectContaining({ amount: 12.1, datafast_visitor_id: visitor }),
    ]);
    expect(recorded(afterTrial.id)[0]).not.toHaveProperty('renewal', true);
    expect(recorded(next.id)).toEqual([expect.objectContaining({ renewal: true })]);
  });

  it('attributes refunds through the refund’s checkout or subscription, and a full refund equals its payment', async () => {
    const oneTime = creemCheckout({}, { metadata: carried });
    const { subscription } = newSubscription();
    const webhook = handler();
    await send(webhook, creemEvent('checkout.completed', oneTime));
    const partial = creemRefund({ refund_amount: 500 }, { checkout: oneTime });
    const rest = creemRefund({ refund_amount: 710 }, { checkout: oneTime });
    const subscriptionRefund = creemRefund(
      {},
      { subscription: { ...subscription, last_transaction: undefined } },
    );
    for (const refund of [partial, partial, rest, subscriptionRefund])
      await send(webhook, creemEvent('refund.created', refund));
    expect(
      context.dev.payments().map(({ transaction_id, amount, refunded, datafast_visitor_id }) => ({
        transaction_id,
        amount,
        refunded,
        datafast_visitor_id,
      })),
    ).toEqual([
      {
        transaction_id: (oneTime.order as Json).transaction,
        amount: 12.1,
        refunded: false,
        datafast_visitor_id: visitor,
      },
      { transaction_id: partial.id, amount: 5, refunded: true, datafast_visitor_id: visitor },
      { transaction_id: rest.id, amount: 7.1, refunded: true, datafast_visitor_id: visitor },
      {
        transaction_id: subscriptionRefund.id,
        amount: 12.1,
        refunded: true,
        datafast_visitor_id: visitor,
      },
    ]);
  });

  it('reports a dispute once as a refund by its disp_ id, attributed through its checkout (Creem charges it back when it opens)', async () => {
    const checkout = creemCheckout({}, { metadata: carried });
    const webhook = handler();
    await send(webhook, creemEvent('checkout.completed', checkout));
    const dispute = creemDispute({}, { checkout });
    await send(webhook, creemEvent('dispute.created', dispute));
    await send(handler(), creemEvent('dispute.created', dispute));
    expect(recorded(dispute.id)).toEqual([
      expect.objectContaining({
        amount: 12.1,
        currency: 'EUR',
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
    expect(context.dev.payments()).toHaveLength(2);
  });

  it('accepts each signature Creem’s own verifier does', async () => {
    const webhook = handler();
    const variants = [
      { header: 'creem-signature' },
      { header: 'x-creem-signature' },
      { header: 'creem-signature', prefix: 'sha256=' },
    ];
    for (const variant of variants) {
      const event = creemEvent('checkout.completed', creemCheckout());
      expect(
        (
          await deliver(
            webhook,
            creemRequest(url, event, { secret: creemWebhookSecret, ...variant }),
          )
        ).status,
      ).toBe(200);
    }
    const standard = standardWebhookRequest(
      url,
      creemEvent('checkout.completed', creemCheckout()),
      {
        secret: creemWebhookSecret,
        secretEncoding: 'whsec',
      },
    );
    expect((await deliver(webhook, standard)).status).toBe(200);
    expect(context.dev.payments()).toHaveLength(4);
  });

  it('reads a renewal’s amount from the API when subscription.paid does not embed it, and answers 503 without a key', async () => {
    const renewed = creemSubscription({
      metadata: carried,
      last_transaction_id: 'tran_lookup1',
      current_period_start_date: '2026-02-12T11:58:38.000Z',
    });
    const event = creemEvent('subscription.paid', renewed);
    const errors: string[] = [];
    const unconfigured = await send(
      handler({ onError: (error) => errors.push(error.message) }),
      event,
    );
    expect(unconfigured).toMatchObject({
      status: 503,
      body: {
        error: { code: 'not_configured', message: expect.stringContaining('CREEM_API_KEY') },
      },
    });
    const transaction = creemTransaction({
      id: 'tran_lookup1',
      amount_paid: 2420,
      period_start: Date.parse('2026-02-12T11:58:38.000Z'),
      created_at: Date.parse('2026-02-12T11:58:47.109Z'),
    });
    api.standIn.set('/v1/transactions', transaction, { transaction_id: 'tran_lookup1' });
    // The subscription's first charge, a month before: this one is a renewal.
    const first = creemTransaction({
      subscription: renewed.id,
      created_at: Date.parse('2026-01-12T11:58:47.109Z'),
    });
    api.standIn.set(
      '/v1/transactions/search',
      {
        items: [{ ...transaction, subscription: renewed.id }, first],
        pagination: { next_page: null },
      },
      { customer_id: 'cust_1OcIK1GEuVvXZwD19tjq2z' },
    );
    const configured = await send(
      handler({ apiKey: creemTestApiKey, apiBase: api.standIn.url }),
      event,
    );
    expect(configured.status).toBe(200);
    expect(recorded('tran_lookup1')).toEqual([
      expect.objectContaining({ amount: 24.2, renewal: true, datafast_visitor_id: visitor }),
    ]);
    expect(errors).toEqual([expect.stringContaining('CREEM_API_KEY')]);
  });

  it('sends test-mode keys to Creem’s test API and live keys to the live one', () => {
    expect(creemApi({ apiKey: creemTestApiKey })?.base).toBe('https://test-api.creem.io');
    expect(creemApi({ apiKey: 'creem_1234live' })?.base).toBe('https://api.creem.io');
    expect(creemApi({ apiKey: creemTestApiKey })?.headers).toEqual({
      'x-api-key': creemTestApiKey,
    });
  });
});

describe('creemCheckout (success page)', () => {
  const page = () => creemCheckoutPage({ apiKey: creemTestApiKey, apiBase: api.standIn.url });

  it('reads the checkout Creem redirects with and reports the webhook’s transaction id, once', async () => {
    const checkout = creemCheckout({}, { metadata: carried });
    api.standIn.set('/v1/checkouts', checkout, { checkout_id: checkout.id as string });
    const target = `https://shop.example/thanks?checkout_id=${checkout.id}&order_id=${(checkout.order as Json).id}&signature=x`;
    expect((await visitSuccessPage(context, page(), target, otherVisitor)).payment).toMatchObject({
      transaction_id: (checkout.order as Json).transaction,
      datafast_visitor_id: visitor,
    });
    await send(handler(), creemEvent('checkout.completed', checkout));
    await visitSuccessPage(context, page(), target);
    expect(context.dev.payments()).toHaveLength(1);
  });

  it('reads the transaction a checkout of Creem’s published shape does not name, and reports it once with the webhook', async () => {
    const { checkout, transaction } = publishedShape(false);
    api.standIn.set('/v1/checkouts', checkout, { checkout_id: checkout.id as string });
    const target = `https://shop.example/thanks?checkout_id=${checkout.id}`;
    expect((await visitSuccessPage(context, page(), target)).payment).toMatchObject({
      transaction_id: transaction.id,
      amount: 12.1,
      datafast_visitor_id: visitor,
    });
    await send(
      handler({ apiKey: creemTestApiKey, apiBase: api.standIn.url }),
      creemEvent('checkout.completed', checkout),
    );
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: transaction.id }),
    ]);
  });

  it('shows no payment while Creem lists no transaction for the order yet (the webhook reports it)', async () => {
    const { checkout } = publishedShape(false, { listed: false });
    api.standIn.set('/v1/checkouts', checkout, { checkout_id: checkout.id as string });
    const visit = await visitSuccessPage(
      context,
      page(),
      `https://shop.example/thanks?checkout_id=${checkout.id}`,
    );
    expect(visit).toEqual({ payment: null, errors: [] });
    expect(context.dev.payments()).toEqual([]);
  });

  it('reports nothing for an unpaid or unknown checkout', async () => {
    const pending = creemCheckout({ status: 'pending' }, { order: { status: 'pending' } });
    api.standIn.set('/v1/checkouts', pending, { checkout_id: pending.id as string });
    for (const id of [pending.id, 'ch_unknown']) {
      expect(
        (await visitSuccessPage(context, page(), `https://shop.example/thanks?checkout_id=${id}`))
          .payment,
      ).toBeNull();
    }
    expect(context.dev.payments()).toEqual([]);
  });
});
