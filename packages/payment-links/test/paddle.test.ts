// size: Paddle's mapping, webhook and success page against one API stand-in, as every provider's suite.
import {
  otherVisitor,
  paddleEvent,
  paddleRefund,
  paddleRotatedSecret,
  paddleSandboxApiKey,
  paddleTransaction,
  paddleWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import {
  mapPaddleEvent,
  type PaddleWebhookOptions,
  paddleTransaction as paddleTransactionPage,
  paddleWebhook,
} from '../src/paddle/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { paddleRequest } from './helpers/sign.js';
import { deliver, reportsOf, suiteApiStandIn, visitSuccessPage } from './helpers/suite.js';

const url = 'https://shop.example/api/webhooks/paddle';
const context = suiteDevServer();
const api = suiteApiStandIn((headers) => headers.authorization === `Bearer ${paddleSandboxApiKey}`);
const carried = { datafast_visitor_id: visitor };

const handler = (options: PaddleWebhookOptions = {}) =>
  paddleWebhook({ secret: paddleWebhookSecret, datafast: context.client, ...options });
const send = (
  webhook: ReturnType<typeof handler>,
  event: Record<string, unknown>,
  secrets = [paddleWebhookSecret],
) => deliver(webhook, paddleRequest(url, event, { secrets }));

describe('mapPaddleEvent', () => {
  it('reports a completed transaction by its id and grand_total, read from a string without floats', async () => {
    const transaction = paddleTransaction({ custom_data: carried });
    const [report] = await reportsOf(
      mapPaddleEvent(paddleEvent('transaction.completed', transaction)),
    );
    expect(report).toEqual({
      payment: {
        amount: 35.99,
        currency: 'USD',
        transaction_id: transaction.id,
        customer_id: 'ctm_01hv6y1jedq4p1n0yqn5ba3ky4',
        timestamp: new Date('2026-01-05T10:00:03Z'),
      },
      carriedVisitorId: visitor,
    });
  });

  it.each([
    ['JPY', '5000', '0', 5000],
    ['KWD', '1234', '1', 1.235],
    // 2^53 + 1 cents is no double: Number(cents) / 100 would give 90071992547409.92.
    ['USD', '9007199254740993', '0', Number('90071992547409.93')],
    ['USD', '1', '0', 0.01],
  ])('reads %s %s (+ %s tax) as %d exactly', async (currency, subtotal, tax, amount) => {
    const event = paddleEvent(
      'transaction.completed',
      paddleTransaction({}, { currency, subtotal, tax }),
    );
    const [report] = await reportsOf(mapPaddleEvent(event));
    expect(report?.payment.amount).toBe(amount);
  });

  it('marks subscription_recurring as renewals; tells a free trial from a 100%-off start; a paid trial is a payment', async () => {
    const subscription = { subscription_id: 'sub_01hv8x29kz0t586xy6zn1a62ny' };
    const renewal = paddleTransaction({ ...subscription, origin: 'subscription_recurring' });
    const trial = paddleTransaction(subscription, { subtotal: '0', tax: '0' });
    const coupon = paddleTransaction(subscription, {
      subtotal: '2999',
      tax: '0',
      discount: '2999',
    });
    const paidTrial = paddleTransaction(subscription, { subtotal: '100', tax: '0' });
    const flags = [];
    for (const transaction of [renewal, trial, coupon, paidTrial]) {
      const [report] = await reportsOf(
        mapPaddleEvent(paddleEvent('transaction.completed', transaction)),
      );
      const { amount, renewal: isRenewal, is_free_trial } = report?.payment ?? {};
      flags.push({ amount, isRenewal, is_free_trial });
    }
    expect(flags).toEqual([
      { amount: 35.99, isRenewal: true, is_free_trial: undefined },
      { amount: 0, isRenewal: undefined, is_free_trial: true },
      { amount: 0, isRenewal: undefined, is_free_trial: false },
      { amount: 1, isRenewal: undefined, is_free_trial: undefined },
    ]);
  });

  it('records nothing for a card update or any other zero transaction of a running subscription', () => {
    const subscription = { subscription_id: 'sub_01hv8x29kz0t586xy6zn1a62ny' };
    for (const origin of [
      'subscription_payment_method_change',
      'subscription_recurring',
      'subscription_update',
    ]) {
      const zero = paddleTransaction({ ...subscription, origin }, { subtotal: '0', tax: '0' });
      expect(mapPaddleEvent(paddleEvent('transaction.completed', zero))).toEqual({
        ignored: `transaction.completed: a zero ${origin} transaction charges nothing`,
      });
    }
  });

  it('names a later transaction’s subscription charge, so the webhook can tell the first after a trial', async () => {
    const later = paddleTransaction({
      subscription_id: 'sub_01hv8x29kz0t586xy6zn1a62ny',
      origin: 'subscription_recurring',
    });
    const [report] = await reportsOf(mapPaddleEvent(paddleEvent('transaction.completed', later)));
    expect(report?.subscriptionCharge).toEqual({
      subscription: 'sub_01hv8x29kz0t586xy6zn1a62ny',
      charge: later.id,
      at: Date.parse('2026-01-05T10:00:03.000Z'),
    });
  });

  it('reports an approved chargeback as a refund of its transaction, takes it back when Paddle reverses it, and moves nothing for credits and warnings', async () => {
    const transaction = paddleTransaction();
    const chargeback = paddleRefund(transaction, { action: 'chargeback' }, '3599');
    const [report] = await reportsOf(mapPaddleEvent(paddleEvent('adjustment.created', chargeback)));
    expect(report).toEqual({
      payment: expect.objectContaining({
        transaction_id: `${transaction.id}_chargeback`,
        amount: 35.99,
        refunded: true,
      }),
      findVisitor: { transactionId: transaction.id },
    });
    const reversal = paddleRefund(transaction, { action: 'chargeback_reverse' }, '3599');
    for (const reversed of [reversal, { ...chargeback, status: 'reversed' }]) {
      // The chargeback's record as it was reported, so it is taken back where it went.
      expect(mapPaddleEvent(paddleEvent('adjustment.updated', reversed))).toEqual({
        reports: [],
        withdraw: [
          {
            payment: expect.objectContaining({
              transaction_id: `${transaction.id}_chargeback`,
              refunded: true,
            }),
            findVisitor: { transactionId: transaction.id },
          },
        ],
      });
    }
    for (const action of ['credit', 'credit_reverse', 'chargeback_warning']) {
      expect(
        mapPaddleEvent(paddleEvent('adjustment.created', paddleRefund(transaction, { action }))),
      ).toEqual({ ignored: `adjustment.created: a ${action} adjustment moves no money back` });
    }
  });

  it('counts refunds only once approved, and only refund adjustments', async () => {
    const transaction = paddleTransaction();
    const pending = paddleRefund(transaction, { status: 'pending_approval' });
    expect(mapPaddleEvent(paddleEvent('adjustment.created', pending))).toEqual({
      ignored: expect.stringContaining('approved'),
    });
    expect(
      mapPaddleEvent(paddleEvent('adjustment.updated', { ...pending, status: 'rejected' })),
    ).toHaveProperty('ignored');
    expect(
      mapPaddleEvent(
        paddleEvent('adjustment.created', paddleRefund(transaction, { action: 'credit' })),
      ),
    ).toHaveProperty('ignored');
    const [report] = await reportsOf(
      mapPaddleEvent(paddleEvent('adjustment.updated', { ...pending, status: 'approved' })),
    );
    expect(report).toEqual({
      payment: expect.objectContaining({
        transaction_id: pending.id,
        amount: 35.99,
        refunded: true,
      }),
      findVisitor: { transactionId: transaction.id },
    });
  });
});

describe('paddleWebhook', () => {
  it('reports the first paid transaction after a free trial as new revenue and the next as a renewal, reading the subscription’s transactions', async () => {
    const subscription = { subscription_id: 'sub_01hvtrial0000000000000000', custom_data: carried };
    const trial = paddleTransaction(
      { ...subscription, billed_at: '2026-01-05T10:00:03.000Z' },
      { subtotal: '0', tax: '0' },
    );
    const recurring = (billed_at: string) =>
      paddleTransaction({ ...subscription, origin: 'subscription_recurring', billed_at });
    const afterTrial = recurring('2026-01-19T10:00:03.000Z');
    const next = recurring('2026-02-19T10:00:03.000Z');
    api.standIn.set(
      '/transactions',
      {
        data: [trial, afterTrial, next],
        meta: {
          pagination: {
            per_page: 30,
            next: 'https://sandbox-api.paddle.com/transactions?after=x',
            has_more: false,
          },
        },
      },
      { subscription_id: subscription.subscription_id },
    );
    const webhook = handler({ apiKey: paddleSandboxApiKey, apiBase: api.standIn.url });
    for (const transaction of [trial, afterTrial, next]) {
      expect((await send(webhook, paddleEvent('transaction.completed', transaction))).status).toBe(
        200,
      );
    }
    const recorded = (transaction: Record<string, unknown>) =>
      context.dev.payments().find((payment) => payment.transaction_id === transaction.id);
    expect(recorded(trial)).toMatchObject({ amount: 0, is_free_trial: true });
    expect(recorded(afterTrial)).toMatchObject({ amount: 35.99, datafast_visitor_id: visitor });
    expect(recorded(afterTrial)).not.toHaveProperty('renewal', true);
    expect(recorded(next)).toMatchObject({ amount: 35.99, renewal: true });
  });

  it('reports a chargeback once as a refund, attributed, and withdraws it from DataFast when Paddle reverses it', async () => {
    const transaction = paddleTransaction({ custom_data: carried });
    api.standIn.set(`/transactions/${transaction.id}`, { data: transaction });
    const webhook = handler({ apiKey: paddleSandboxApiKey, apiBase: api.standIn.url });
    await send(webhook, paddleEvent('transaction.completed', transaction));
    const chargeback = paddleRefund(transaction, { action: 'chargeback' }, '3599');
    for (const type of ['adjustment.created', 'adjustment.updated', 'adjustment.updated']) {
      expect((await send(webhook, paddleEvent(type, chargeback))).status).toBe(200);
    }
    const chargebackId = `${transaction.id}_chargeback`;
    expect(context.dev.payments().filter((p) => p.transaction_id === chargebackId)).toEqual([
      expect.objectContaining({ amount: 35.99, refunded: true, datafast_visitor_id: visitor }),
    ]);
    const reversal = paddleEvent(
      'adjustment.created',
      paddleRefund(transaction, { action: 'chargeback_reverse' }, '3599'),
    );
    for (const delivery of [reversal, reversal]) {
      expect(await send(webhook, delivery)).toEqual({
        status: 200,
        body: { received: true, reported: [], withdrawn: [chargebackId] },
      });
    }
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: transaction.id, amount: 35.99 }),
    ]);
  });

  it('records nothing for a card update on an active subscription (a zero subscription_payment_method_change)', async () => {
    const cardUpdate = paddleTransaction(
      {
        subscription_id: 'sub_01hv8x29kz0t586xy6zn1a62ny',
        origin: 'subscription_payment_method_change',
        custom_data: carried,
      },
      { subtotal: '0', tax: '0' },
    );
    const answer = await send(handler(), paddleEvent('transaction.completed', cardUpdate));
    expect(answer).toEqual({
      status: 200,
      body: {
        received: true,
        ignored: expect.stringContaining('subscription_payment_method_change'),
      },
    });
    expect(context.dev.payments()).toEqual([]);
  });

  it('accepts every h1 while a secret rotates: signatures by the old, the new or both keys', async () => {
    const webhook = handler();
    const transactions = [paddleTransaction(), paddleTransaction(), paddleTransaction()];
    const signers = [
      [paddleRotatedSecret, paddleWebhookSecret],
      [paddleWebhookSecret, paddleRotatedSecret],
      [paddleWebhookSecret],
    ];
    for (const [index, transaction] of transactions.entries()) {
      const result = await send(
        webhook,
        paddleEvent('transaction.completed', transaction),
        signers[index],
      );
      expect(result.status).toBe(200);
    }
    const onlyOther = await send(
      webhook,
      paddleEvent('transaction.completed', paddleTransaction()),
      [paddleRotatedSecret],
    );
    expect(onlyOther.status).toBe(400);
    expect(context.dev.payments()).toHaveLength(3);
  });

  it('records paid and completed once, renewals as renewals, and approved refunds once, attributed through the transaction', async () => {
    const transaction = paddleTransaction({
      custom_data: carried,
      subscription_id: 'sub_01hv8x29kz0t586xy6zn1a62ny',
    });
    api.standIn.set(`/transactions/${transaction.id}`, {
      data: transaction,
      meta: { request_id: 'r1' },
    });
    const renewal = paddleTransaction({
      custom_data: carried,
      origin: 'subscription_recurring',
      subscription_id: transaction.subscription_id,
      billed_at: '2026-02-05T10:00:03.000Z',
    });
    api.standIn.set(
      '/transactions',
      { data: [renewal, transaction], meta: { pagination: { has_more: false } } },
      { subscription_id: transaction.subscription_id as string },
    );
    const refund = paddleRefund(transaction, { status: 'pending_approval' }, '1500');
    const webhook = handler({ apiKey: paddleSandboxApiKey, apiBase: api.standIn.url });
    await send(webhook, paddleEvent('transaction.paid', { ...transaction, status: 'paid' }));
    await send(webhook, paddleEvent('transaction.completed', transaction));
    await send(webhook, paddleEvent('transaction.completed', renewal));
    await send(webhook, paddleEvent('adjustment.created', refund));
    await send(webhook, paddleEvent('adjustment.updated', { ...refund, status: 'approved' }));
    await send(
      handler({ apiKey: paddleSandboxApiKey, apiBase: api.standIn.url }),
      paddleEvent('adjustment.updated', { ...refund, status: 'approved' }),
    );
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: transaction.id,
        amount: 35.99,
        datafast_visitor_id: visitor,
      }),
      expect.objectContaining({
        transaction_id: renewal.id,
        renewal: true,
        datafast_visitor_id: visitor,
      }),
      expect.objectContaining({
        transaction_id: refund.id,
        amount: 15,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
    expect(api.standIn.requests.at(-1)).toMatchObject({ path: `/transactions/${transaction.id}` });
  });
});

describe('paddleTransaction (success page)', () => {
  const page = () =>
    paddleTransactionPage({ apiKey: paddleSandboxApiKey, apiBase: api.standIn.url });

  it('reads ?transaction_id= (or _ptxn) and reports the webhook’s id, attributed by its custom data', async () => {
    const transaction = paddleTransaction({ custom_data: carried });
    api.standIn.set(`/transactions/${transaction.id}`, { data: transaction });
    const first = await visitSuccessPage(
      context,
      page(),
      `https://shop.example/thanks?transaction_id=${transaction.id}`,
      otherVisitor,
    );
    expect(first.payment).toMatchObject({
      transaction_id: transaction.id,
      datafast_visitor_id: visitor,
    });
    await visitSuccessPage(context, page(), `https://shop.example/thanks?_ptxn=${transaction.id}`);
    expect(context.dev.payments()).toHaveLength(1);
  });

  it('reports nothing for a transaction not paid yet, unknown or malformed', async () => {
    const ready = paddleTransaction({ status: 'ready' });
    api.standIn.set(`/transactions/${ready.id}`, { data: ready });
    for (const id of [ready.id, 'txn_01unknown', 'pay_not_a_txn']) {
      expect(
        (
          await visitSuccessPage(
            context,
            page(),
            `https://shop.example/thanks?transaction_id=${id}`,
          )
        ).payment,
      ).toBeNull();
    }
    expect(context.dev.payments()).toEqual([]);
  });
});
