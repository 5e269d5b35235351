/**
 * Every provider-published payload in ../shared/fixtures/real through its provider's real
 * webhook handler (the built package), signed as the provider signs, reported to a real
 * devserver standing in for DataFast; where a handler must look something up, a stand-in of the
 * provider's API on 127.0.0.1 answers. Each test asserts exactly what DataFast recorded.
 */
import { createDatafast, type Datafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { creemWebhook } from '@datafast-checkout/payment-links/creem';
import { lemonSqueezyWebhook } from '@datafast-checkout/payment-links/lemonsqueezy';
import { paddleWebhook } from '@datafast-checkout/payment-links/paddle';
import { polarWebhook } from '@datafast-checkout/payment-links/polar';
import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import {
  type ApiStandIn,
  creemRequest,
  creemTestApiKey,
  creemWebhookSecret,
  lemonSqueezyRequest,
  lemonSqueezyWebhookSecret,
  paddleRequest,
  paddleSandboxApiKey,
  paddleWebhookSecret,
  polarWebhookSecret,
  standardWebhookRequest,
  startApiStandIn,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertPublishedDir, published, publishedFiles, withCarrier } from './published.js';

type Json = Record<string, unknown>;
type Webhook = (request: Request) => Promise<Response>;

const url = 'https://shop.example/api/webhooks/provider';
let dev: DevServer;
let datafast: Datafast;
let api: ApiStandIn;

beforeAll(async () => {
  dev = await startDevServer();
  datafast = createDatafast({
    apiKey: dev.apiKey,
    baseUrl: dev.url,
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    logger: { warn() {}, error() {} },
  });
  api = await startApiStandIn();
});
beforeEach(async () => {
  await datafast.flush(5000);
  await dev.reset();
});
afterAll(async () => {
  await api?.close();
  await dev?.close();
});

/** What DataFast recorded, in the fields a report sets. */
function recorded(): Json[] {
  return dev.payments().map((record) => {
    const fields: Json = {};
    for (const key of [
      'transaction_id',
      'amount',
      'currency',
      'refunded',
      'renewal',
      'is_free_trial',
      'datafast_visitor_id',
      'customer_id',
      'email',
      'name',
    ] as const) {
      if (record[key] !== undefined && record[key] !== null) fields[key] = record[key];
    }
    return fields;
  });
}

/** Delivers a signed request and returns its status and answer. */
async function deliver(
  webhook: Webhook,
  request: Request,
): Promise<{ status: number; body: Json }> {
  const response = await webhook(request);
  return { status: response.status, body: (await response.json()) as Json };
}

const body = (payload: Json) => JSON.stringify(payload, null, 2);
const messageId = () => `msg_${Date.now()}_${Math.random().toString(36).slice(2, 10)}`;

it('finds the provider-published payloads beside the repository, and runs every one of them', () => {
  assertPublishedDir();
  expect(publishedFiles()).toEqual(
    [
      'creem/checkout.completed.json',
      'creem/refund.created.json',
      'creem/subscription.paid.json',
      'lemonsqueezy/order_created.json',
      'paddle/adjustment.created.json',
      'paddle/adjustment.updated.json',
      'paddle/transaction.completed.json',
      'paddle/transaction.completed.renewal.json',
      'paddle/transaction.paid.json',
      'polar/order.paid.json',
      'polar/order.refunded.json',
      'polar/refund.created.json',
      'stripe/refund.created.json',
    ].sort(),
  );
});

describe('Stripe', () => {
  const webhook = () => stripeWebhook({ secret: webhookSecret, datafast });
  const send = (hook: Webhook, payload: Json) => {
    const raw = body(payload);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: raw,
      secret: webhookSecret,
    });
    return deliver(
      hook,
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: raw,
      }),
    );
  };

  it('refund.created: the refund by its re_ id, 1.00 USD, attributed by its metadata, once when redelivered', async () => {
    const event = withCarrier(published('stripe/refund.created.json'), visitor, [
      'data',
      'object',
      'metadata',
    ]);
    const hook = webhook();
    for (const delivery of [event, event]) expect((await send(hook, delivery)).status).toBe(200);
    expect(recorded()).toEqual([
      {
        transaction_id: 're_1Pgc72B7WZ01zgkWqPvrRrPE',
        amount: 1,
        currency: 'USD',
        refunded: true,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
      },
    ]);
  });
});

describe('LemonSqueezy', () => {
  it('order_created: ls_order_1 at its total with tax, 11.99 USD, with its customer, attributed by custom_data, once', async () => {
    const event = withCarrier(published('lemonsqueezy/order_created.json'), visitor, [
      'meta',
      'custom_data',
    ]);
    const hook = lemonSqueezyWebhook({ secret: lemonSqueezyWebhookSecret, datafast });
    for (const delivery of [event, event]) {
      const request = lemonSqueezyRequest(url, delivery, { secret: lemonSqueezyWebhookSecret });
      expect((await deliver(hook, request)).status).toBe(200);
    }
    expect(recorded()).toEqual([
      {
        transaction_id: 'ls_order_1',
        amount: 11.99,
        currency: 'USD',
        refunded: false,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
        customer_id: '1',
        email: 'johndoe@example.com',
        name: 'John Doe',
      },
    ]);
  });
});

describe('Polar', () => {
  const hook = () => polarWebhook({ secret: polarWebhookSecret, datafast });
  const send = (webhook: Webhook, event: Json, id: string) =>
    deliver(
      webhook,
      standardWebhookRequest(url, event, {
        secret: polarWebhookSecret,
        secretEncoding: 'utf8',
        id,
      }),
    );

  it('order.paid: the order at total_amount (tax included, after the discount), 97.20 USD, attributed by its metadata, once', async () => {
    const event = withCarrier(published('polar/order.paid.json'), visitor, ['data', 'metadata']);
    const webhook = hook();
    const id = messageId();
    for (const delivery of [event, event]) {
      expect((await send(webhook, delivery, id)).status).toBe(200);
    }
    expect(recorded()).toEqual([
      {
        transaction_id: '<value>',
        amount: 97.2,
        currency: 'USD',
        refunded: false,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
        customer_id: '<value>',
        email: 'customer@example.com',
        name: 'John Doe',
      },
    ]);
  });

  it('order.refunded and a canceled refund.created record nothing', async () => {
    const webhook = hook();
    for (const file of ['polar/order.refunded.json', 'polar/refund.created.json']) {
      expect(await send(webhook, published(file), messageId())).toEqual({
        status: 200,
        body: { received: true, ignored: expect.any(String) },
      });
    }
    expect(recorded()).toEqual([]);
  });
});

describe('Paddle', () => {
  const hook = (options: { apiKey?: string } = {}) =>
    paddleWebhook({
      secret: paddleWebhookSecret,
      datafast,
      ...(options.apiKey ? { apiKey: options.apiKey, apiBase: api.url } : {}),
    });
  const send = (webhook: Webhook, event: Json) =>
    deliver(webhook, paddleRequest(url, event, { secrets: [paddleWebhookSecret] }));
  const customData = ['data', 'custom_data'];

  it('transaction.completed (web) and transaction.paid (api): each transaction once at grand_total, attributed by custom_data', async () => {
    const webhook = hook();
    const completed = withCarrier(
      published('paddle/transaction.completed.json'),
      visitor,
      customData,
    );
    const paid = withCarrier(published('paddle/transaction.paid.json'), visitor, customData);
    for (const event of [completed, paid, completed, paid]) {
      expect((await send(webhook, event)).status).toBe(200);
    }
    expect(recorded()).toEqual([
      {
        transaction_id: 'txn_01h8dzxgkvdwemdhbpcapj2tbj',
        amount: 652.15,
        currency: 'USD',
        refunded: false,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
        customer_id: (published('paddle/transaction.completed.json').data as Json).customer_id,
      },
      {
        transaction_id: 'txn_01gxwxqj0rd5m8j1zdhvk05twz',
        amount: 898.8,
        currency: 'GBP',
        refunded: false,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
        customer_id: 'ctm_01gxwxe6vzgz6hcsbwjs6zrszr',
      },
    ]);
  });

  it('transaction.completed (subscription_recurring): a renewal when the subscription had an earlier paid transaction, new revenue when it had none', async () => {
    const event = withCarrier(
      published('paddle/transaction.completed.renewal.json'),
      visitor,
      customData,
    );
    const transaction = event.data as Json;
    const subscription = transaction.subscription_id as string;
    const history = (transactions: Json[]) =>
      api.set(
        '/transactions',
        { data: transactions, meta: { pagination: { has_more: false } } },
        { subscription_id: subscription },
      );
    const expected = {
      transaction_id: 'txn_01hfyd09vas8qwq6jw7k6yd9rg',
      amount: 660,
      currency: 'GBP',
      refunded: false,
      renewal: false,
      is_free_trial: false,
      datafast_visitor_id: visitor,
      customer_id: transaction.customer_id,
    };

    // The subscription's first paid charge (after a free trial): Paddle lists only this one.
    history([transaction]);
    expect((await send(hook({ apiKey: paddleSandboxApiKey }), event)).status).toBe(200);
    expect(recorded()).toEqual([expected]);

    await dev.reset();
    // A month earlier the subscription was paid for: this one renews it.
    history([
      transaction,
      {
        id: 'txn_stand_in_first_charge',
        status: 'completed',
        billed_at: '2023-10-23T15:33:01.930479Z',
        details: { totals: { grand_total: '66000' } },
      },
    ]);
    expect((await send(hook({ apiKey: paddleSandboxApiKey }), event)).status).toBe(200);
    expect(recorded()).toEqual([{ ...expected, renewal: true }]);
  });

  it('adjustment.updated (approved refund): the refund by its adj_ id, 1.00 USD, attributed through its transaction; adjustment.created (pending) nothing', async () => {
    const adjustment = published('paddle/adjustment.updated.json');
    const transactionId = (adjustment.data as Json).transaction_id as string;
    // Adjustments carry no custom_data: the handler reads the transaction's.
    api.set(`/transactions/${transactionId}`, {
      data: { id: transactionId, custom_data: { datafast_visitor_id: visitor } },
    });
    const webhook = hook({ apiKey: paddleSandboxApiKey });
    expect(await send(webhook, published('paddle/adjustment.created.json'))).toEqual({
      status: 200,
      body: { received: true, ignored: expect.stringContaining('not approved') },
    });
    for (const event of [adjustment, adjustment]) {
      expect((await send(webhook, event)).status).toBe(200);
    }
    expect(recorded()).toEqual([
      {
        transaction_id: 'adj_01h8c6tbrkpdd7vx61w7b1r0ap',
        amount: 1,
        currency: 'USD',
        refunded: true,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
        customer_id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk',
      },
    ]);
  });
});

describe('Creem', () => {
  const hook = (options: { apiKey?: string } = {}) =>
    creemWebhook({
      secret: creemWebhookSecret,
      datafast,
      ...(options.apiKey ? { apiKey: options.apiKey, apiBase: api.url } : {}),
    });
  const send = (webhook: Webhook, event: Json) =>
    deliver(webhook, creemRequest(url, event, { secret: creemWebhookSecret }));

  /** The two events of one subscription's first charge, with the checkout's visitor carried. */
  function firstCharge() {
    const checkout = withCarrier(
      published('creem/checkout.completed.json'),
      visitor,
      ['object', 'metadata'],
      ['object', 'subscription', 'metadata'],
    );
    const paid = withCarrier(published('creem/subscription.paid.json'), visitor, [
      'object',
      'metadata',
    ]);
    // The transaction Creem's API answers: the one its refund.created sample embeds.
    const transaction = (published('creem/refund.created.json').object as Json).transaction as Json;
    const order = ((checkout.object as Json).order as Json).id as string;
    const customer = ((paid.object as Json).customer as Json).id as string;
    api.set('/v1/transactions', transaction, { transaction_id: transaction.id as string });
    api.set(
      '/v1/transactions/search',
      { items: [transaction], pagination: {} },
      { order_id: order },
    );
    api.set(
      '/v1/transactions/search',
      { items: [transaction], pagination: {} },
      { customer_id: customer },
    );
    return { checkout, paid };
  }

  const oneCharge = {
    transaction_id: 'tran_5yMaWzAl3jxuGJMCOrYWwk',
    amount: 12.1,
    currency: 'EUR',
    refunded: false,
    renewal: false,
    is_free_trial: false,
    datafast_visitor_id: visitor,
    customer_id: 'cust_1OcIK1GEuVvXZwD19tjq2z',
    email: 'customer@emaildomain',
    name: 'Tester Test',
  };

  for (const order of ['checkout.completed first', 'subscription.paid first']) {
    it(`checkout.completed and subscription.paid (${order}): one payment, tran_…, at what the customer paid (12.10 EUR, not the 10.00 before tax), not a renewal, once when redelivered`, async () => {
      const { checkout, paid } = firstCharge();
      const events = order === 'checkout.completed first' ? [checkout, paid] : [paid, checkout];
      const webhook = hook({ apiKey: creemTestApiKey });
      for (const event of [...events, ...events]) {
        expect((await send(webhook, event)).status).toBe(200);
      }
      expect(recorded()).toEqual([oneCharge]);
    });
  }

  it('checkout.completed without an API key: 503, so Creem redelivers once configured; nothing recorded', async () => {
    const { checkout } = firstCharge();
    expect(await send(hook(), checkout)).toMatchObject({
      status: 503,
      body: { error: { code: 'not_configured' } },
    });
    expect(recorded()).toEqual([]);
  });

  it('refund.created: the refund by its ref_ id, 12.10 EUR (tax included), attributed through its checkout, once', async () => {
    const event = withCarrier(
      published('creem/refund.created.json'),
      visitor,
      ['object', 'checkout', 'metadata'],
      ['object', 'subscription', 'metadata'],
    );
    const webhook = hook();
    for (const delivery of [event, event]) expect((await send(webhook, delivery)).status).toBe(200);
    expect(recorded()).toEqual([
      {
        transaction_id: 'ref_3DB9NQFvk18TJwSqd0N6bd',
        amount: 12.1,
        currency: 'EUR',
        refunded: true,
        renewal: false,
        is_free_trial: false,
        datafast_visitor_id: visitor,
        customer_id: 'cust_1OcIK1GEuVvXZwD19tjq2z',
        email: 'customer@emaildomain',
        name: 'Tester Test',
      },
    ]);
  });
});
