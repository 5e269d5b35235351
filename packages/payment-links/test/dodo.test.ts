import {
  dodoDispute,
  dodoEvent,
  dodoPayment,
  dodoRefund,
  dodoWebhookSecret,
  otherVisitor,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import {
  type DodoWebhookOptions,
  dodoPayment as dodoPaymentPage,
  dodoWebhook,
  mapDodoEvent,
} from '../src/dodo/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { standardWebhookRequest } from './helpers/sign.js';
import { deliver, reportsOf, suiteApiStandIn, visitSuccessPage } from './helpers/suite.js';

const url = 'https://shop.example/api/webhooks/dodo';
const context = suiteDevServer();
const apiKey = 'dodo_test_stand_in_key';
const api = suiteApiStandIn((headers) => headers.authorization === `Bearer ${apiKey}`);
const carried = { datafast_visitor_id: visitor };
const subscription = {
  subscription_id: 'sub_0NWGyJWb0l1msGyZVlKer',
  subscription_ids: ['sub_0NWGyJWb0l1msGyZVlKer'],
};

const handler = (options: DodoWebhookOptions = {}) =>
  dodoWebhook({ secret: dodoWebhookSecret, datafast: context.client, ...options });
const send = (webhook: ReturnType<typeof handler>, event: Record<string, unknown>) =>
  deliver(
    webhook,
    standardWebhookRequest(url, event, { secret: dodoWebhookSecret, secretEncoding: 'whsec' }),
  );

describe('mapDodoEvent', () => {
  it('reports payment.succeeded under its payment_id with total_amount (tax included) and the carried visitor', async () => {
    const payment = dodoPayment({ metadata: carried });
    const [report] = await reportsOf(mapDodoEvent(dodoEvent('payment.succeeded', payment)));
    expect(report).toEqual({
      payment: {
        amount: 35.99,
        currency: 'USD',
        transaction_id: payment.payment_id,
        customer_id: 'cus_0NWGwkiON1PKv48vrrwW5',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        timestamp: new Date('2026-01-14T13:25:43.118Z'),
      },
      carriedVisitorId: visitor,
    });
  });

  it.each([
    ['JPY', 5000, 5000],
    ['KWD', 12345, 12.345],
    // The payment's own currency, whatever the subscription's: Dodo's adaptive pricing.
    ['INR', 321356, 3213.56],
  ])(
    'reads %s %d in the currency’s own minor unit (%d)',
    async (currency, total_amount, amount) => {
      const payment = dodoPayment({
        ...subscription,
        currency,
        total_amount,
        settlement_currency: 'USD',
        settlement_amount: 3422,
      });
      const [report] = await reportsOf(mapDodoEvent(dodoEvent('payment.succeeded', payment)));
      expect(report?.payment).toMatchObject({ amount, currency });
    },
  );

  it('marks off-session subscription charges as renewals; a first charge through a checkout or payment link is not one', async () => {
    const first = dodoPayment({ ...subscription });
    const viaLink = dodoPayment({
      ...subscription,
      checkout_session_id: null,
      payment_link: 'https://test.checkout.dodopayments.com/Ua933d7z',
    });
    const renewal = dodoPayment({ ...subscription, checkout_session_id: null });
    const retry = dodoPayment({ ...subscription, checkout_session_id: null, retry_attempt: 1 });
    const renewals = [];
    for (const payment of [first, viaLink, renewal, retry]) {
      const [report] = await reportsOf(mapDodoEvent(dodoEvent('payment.succeeded', payment)));
      renewals.push(report?.payment.renewal);
    }
    expect(renewals).toEqual([undefined, undefined, true, true]);
  });

  it('names an off-session charge’s subscription charge and reports no zero off-session charge', async () => {
    const renewal = dodoPayment({ ...subscription, checkout_session_id: null });
    const [report] = await reportsOf(mapDodoEvent(dodoEvent('payment.succeeded', renewal)));
    expect(report?.subscriptionCharge).toEqual({
      subscription: subscription.subscription_id,
      charge: renewal.payment_id,
      at: Date.parse('2026-01-14T13:25:43.118Z'),
    });
    const free = dodoPayment({
      ...subscription,
      checkout_session_id: null,
      total_amount: 0,
      tax: 0,
    });
    expect(mapDodoEvent(dodoEvent('payment.succeeded', free))).toEqual({
      ignored: 'payment.succeeded: a zero off-session charge charges nothing',
    });
  });

  it('skips a payment-method update, and tells a free trial from a 100%-off first charge', async () => {
    expect(
      mapDodoEvent(
        dodoEvent(
          'payment.succeeded',
          dodoPayment({ is_update_payment_method: true, total_amount: 0 }),
        ),
      ),
    ).toEqual({
      ignored: expect.stringContaining('payment-method update'),
    });
    const zero = { ...subscription, total_amount: 0, tax: 0 };
    const flags = [];
    for (const payment of [
      dodoPayment(zero),
      dodoPayment({ ...zero, discounts: [{ discount_id: 'dsc_1', amount: 2999 }] }),
    ]) {
      const [report] = await reportsOf(mapDodoEvent(dodoEvent('payment.succeeded', payment)));
      flags.push([report?.payment.amount, report?.payment.is_free_trial]);
    }
    expect(flags).toEqual([
      [0, true],
      [0, false],
    ]);
  });
});

describe('dodoWebhook: disputes', () => {
  it('reports a lost (or accepted) dispute once as a refund by its dispute_id, attributed through its payment, and a won one never', async () => {
    const payment = dodoPayment({ metadata: carried, currency: 'KWD', total_amount: 12345 });
    api.standIn.set(`/payments/${payment.payment_id}`, payment);
    const webhook = handler({ apiKey, apiBase: api.standIn.url });
    const dispute = dodoDispute(payment);
    const opened = { ...dispute, dispute_status: 'dispute_opened' };
    for (const [type, data] of [
      ['dispute.opened', opened],
      ['dispute.challenged', opened],
      ['dispute.accepted', { ...dispute, dispute_status: 'dispute_accepted' }],
      ['dispute.lost', dispute],
      ['dispute.lost', dispute],
    ] as const) {
      expect((await send(webhook, dodoEvent(type, data))).status).toBe(200);
    }
    const won = dodoDispute(payment, { dispute_status: 'dispute_won' });
    await send(webhook, dodoEvent('dispute.won', won));
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: dispute.dispute_id,
        amount: 12.345,
        currency: 'KWD',
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('reads a dispute amount written as a decimal as it is written', async () => {
    const dispute = dodoDispute(dodoPayment(), { amount: '35.99' });
    const [report] = await reportsOf(mapDodoEvent(dodoEvent('dispute.lost', dispute)));
    expect(report?.payment).toMatchObject({ amount: 35.99, currency: 'USD', refunded: true });
  });
});

describe('dodoWebhook', () => {
  it('reports the first paid charge after a free trial as new revenue and the next as a renewal, reading the subscription’s payments', async () => {
    const sub = {
      subscription_id: 'sub_0NWtrial0000000000000',
      subscription_ids: ['sub_0NWtrial0000000000000'],
      metadata: carried,
    };
    const trial = dodoPayment({
      ...sub,
      total_amount: 0,
      tax: 0,
      created_at: '2026-01-05T10:00:00.000Z',
    });
    const offSession = (created_at: string) =>
      dodoPayment({ ...sub, checkout_session_id: null, created_at });
    const afterTrial = offSession('2026-01-19T10:00:00.000Z');
    const next = offSession('2026-02-19T10:00:00.000Z');
    api.standIn.set(
      '/payments',
      { items: [next, afterTrial, trial] },
      { subscription_id: sub.subscription_id, status: 'succeeded' },
    );
    const webhook = handler({ apiKey, apiBase: api.standIn.url });
    for (const payment of [trial, afterTrial, next]) {
      expect((await send(webhook, dodoEvent('payment.succeeded', payment))).status).toBe(200);
    }
    const recorded = (payment: Record<string, unknown>) =>
      context.dev.payments().find((p) => p.transaction_id === payment.payment_id);
    expect(recorded(trial)).toMatchObject({ amount: 0, is_free_trial: true });
    expect(recorded(afterTrial)).toMatchObject({ amount: 35.99, datafast_visitor_id: visitor });
    expect(recorded(afterTrial)).not.toHaveProperty('renewal', true);
    expect(recorded(next)).toMatchObject({ amount: 35.99, renewal: true });
  });

  it('reports partial and full refunds once each, attributed through their payment read from the API', async () => {
    const payment = dodoPayment({ metadata: carried });
    api.standIn.set(`/payments/${payment.payment_id}`, payment);
    const partial = dodoRefund(payment, { amount: 1000, is_partial: true });
    const rest = dodoRefund(payment, { amount: 2599, is_partial: true });
    const webhook = handler({ apiKey, apiBase: api.standIn.url });
    await send(webhook, dodoEvent('payment.succeeded', payment));
    for (const refund of [partial, partial, rest])
      await send(webhook, dodoEvent('refund.succeeded', refund));
    await send(handler({ apiKey, apiBase: api.standIn.url }), dodoEvent('refund.succeeded', rest));
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: payment.payment_id, amount: 35.99 }),
      expect.objectContaining({
        transaction_id: partial.refund_id,
        amount: 10,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
      expect.objectContaining({
        transaction_id: rest.refund_id,
        amount: 25.99,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('counts a payment Dodo’s own DataFast connector already sent once: the same payment_id', async () => {
    const payment = dodoPayment({ currency: 'JPY', total_amount: 5000, metadata: carried });
    // The connector's record: same id, its amount divided by 100 whatever the currency.
    await context.client.payments.create({
      amount: 50,
      currency: 'JPY',
      transaction_id: payment.payment_id as string,
    });
    expect((await send(handler(), dodoEvent('payment.succeeded', payment))).status).toBe(200);
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: payment.payment_id }),
    ]);
    expect(context.dev.stats().duplicates).toBe(1);
  });
});

describe('dodoPayment (success page)', () => {
  const page = () => dodoPaymentPage({ apiKey, apiBase: api.standIn.url });

  it('reads ?payment_id= and reports it under the webhook’s id, attributed by its metadata, once', async () => {
    const payment = dodoPayment({ metadata: carried });
    api.standIn.set(`/payments/${payment.payment_id}`, payment);
    const target = `https://shop.example/thanks?payment_id=${payment.payment_id}&status=succeeded`;
    expect((await visitSuccessPage(context, page(), target, otherVisitor)).payment).toMatchObject({
      transaction_id: payment.payment_id,
      datafast_visitor_id: visitor,
    });
    await visitSuccessPage(context, page(), target);
    await send(handler(), dodoEvent('payment.succeeded', payment));
    expect(context.dev.payments()).toHaveLength(1);
  });

  it('reports nothing for a payment that has not succeeded, an unknown or a malformed id', async () => {
    const failed = dodoPayment({ status: 'failed' });
    api.standIn.set(`/payments/${failed.payment_id}`, failed);
    for (const id of [failed.payment_id, 'pay_unknown', 'sub_not_a_payment']) {
      expect(
        (await visitSuccessPage(context, page(), `https://shop.example/thanks?payment_id=${id}`))
          .payment,
      ).toBeNull();
    }
    expect(context.dev.payments()).toEqual([]);
  });
});
