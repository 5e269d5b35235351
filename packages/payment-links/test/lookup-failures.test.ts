// size: one table of cases for six providers, each with its own stand-in and event.
/**
 * A provider-API lookup that fails for a while (429, a hung connection) must not cost the payment
 * its visitor for good: each provider's webhook answers 503, so the provider redelivers, and the
 * redelivery records the payment once, attributed. Only an API that answers that the object does
 * not exist makes the payment go out unattributed. The provider's API is a real stand-in on
 * 127.0.0.1 behind a proxy that answers 429 or never answers; Stripe's lookups go through the
 * real `stripe` package.
 */
import {
  type ApiStandIn,
  checkoutSession,
  creemEvent,
  creemSubscription,
  creemTestApiKey,
  creemTransaction,
  creemWebhookSecret,
  dodoEvent,
  dodoPayment,
  dodoRefund,
  dodoWebhookSecret,
  type FlakyProxy,
  lemonSqueezyEvent,
  lemonSqueezyOrder,
  lemonSqueezyWebhookSecret,
  type ProxyFault,
  paddleEvent,
  paddleRefund,
  paddleSandboxApiKey,
  paddleTransaction,
  paddleWebhookSecret,
  polarEvent,
  polarOrder,
  polarRefund,
  polarWebhookSecret,
  refund,
  type StripeStandIn,
  startApiStandIn,
  startFlakyProxy,
  startStripeStandIn,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creemWebhook } from '../src/creem/index.js';
import { dodoWebhook } from '../src/dodo/index.js';
import { lemonSqueezyWebhook } from '../src/lemonsqueezy/index.js';
import { paddleWebhook } from '../src/paddle/index.js';
import { polarWebhook } from '../src/polar/index.js';
import { stripeWebhook } from '../src/stripe/index.js';
import type { WebhookOptions } from '../src/webhook.js';
import { suiteDevServer } from './helpers/datafast.js';
import {
  creemRequest,
  lemonSqueezyRequest,
  paddleRequest,
  standardWebhookRequest,
} from './helpers/sign.js';
import { signedRequest } from './helpers/stripe.js';

type Json = Record<string, unknown>;
const url = 'https://shop.example/api/webhooks/provider';
const carried = { datafast_visitor_id: visitor };
const context = suiteDevServer();

interface Peers {
  api: ApiStandIn;
  apiProxy: FlakyProxy;
  stripeApi: StripeStandIn;
  stripeProxy: FlakyProxy;
}
const peers = {} as Peers;
beforeAll(async () => {
  peers.api = await startApiStandIn();
  peers.apiProxy = await startFlakyProxy(peers.api.url);
  peers.stripeApi = await startStripeStandIn();
  peers.stripeProxy = await startFlakyProxy(peers.stripeApi.url);
});
afterAll(async () => {
  await Promise.all(
    [peers.apiProxy, peers.api, peers.stripeProxy, peers.stripeApi].map((p) => p?.close()),
  );
});

/**
 * One provider: a handler whose lookups go through the proxy, and an event that needs one (a
 * refund, or Creem's renewal without its transaction), with what the lookup finds stored or not.
 */
interface LookupCase {
  name: string;
  handler(options: WebhookOptions): (request: Request) => Promise<Response>;
  /** The event, its signed request, and the id it is recorded under; `known: false` stores nothing. */
  scenario(known: boolean): { request: () => Request; transactionId: string };
  /** Whether the payment is known when the lookup fails (Creem's renewal is not, yet). */
  paymentKnown: boolean;
}

const cases: LookupCase[] = [
  {
    name: 'Stripe',
    paymentKnown: true,
    handler: (options) =>
      stripeWebhook({
        ...options,
        secret: webhookSecret,
        stripe: new Stripe('sk_test_stand_in', {
          host: '127.0.0.1',
          port: peers.stripeProxy.port,
          protocol: 'http',
          maxNetworkRetries: 0,
        }),
      }),
    scenario(known) {
      const session = checkoutSession({ client_reference_id: visitor });
      if (known) peers.stripeApi.addSession(session as { id: string });
      const refunded = refund({ amount: 1000, payment_intent: session.payment_intent });
      const event = stripeEvent('refund.created', refunded);
      return { request: () => signedRequest(url, event), transactionId: refunded.id as string };
    },
  },
  {
    name: 'Paddle',
    paymentKnown: true,
    handler: (options) =>
      paddleWebhook({
        ...options,
        secret: paddleWebhookSecret,
        apiKey: paddleSandboxApiKey,
        apiBase: peers.apiProxy.url,
      }),
    scenario(known) {
      const transaction = paddleTransaction({ custom_data: carried });
      if (known) peers.api.set(`/transactions/${transaction.id}`, { data: transaction });
      const adjustment = paddleRefund(transaction, {}, '1000');
      const event = paddleEvent('adjustment.updated', adjustment);
      return {
        request: () => paddleRequest(url, event, { secrets: [paddleWebhookSecret] }),
        transactionId: adjustment.id as string,
      };
    },
  },
  {
    name: 'Polar',
    paymentKnown: true,
    handler: (options) =>
      polarWebhook({
        ...options,
        secret: polarWebhookSecret,
        accessToken: 'polar_oat_stand_in',
        apiBase: peers.apiProxy.url,
      }),
    scenario(known) {
      const order = polarOrder({ metadata: carried });
      if (known) peers.api.set(`/v1/orders/${order.id}`, order);
      const refunded = polarRefund(order);
      const event = polarEvent('refund.created', refunded);
      return {
        request: () =>
          standardWebhookRequest(url, event, {
            secret: polarWebhookSecret,
            secretEncoding: 'utf8',
          }),
        transactionId: refunded.id as string,
      };
    },
  },
  {
    name: 'Dodo Payments',
    paymentKnown: true,
    handler: (options) =>
      dodoWebhook({
        ...options,
        secret: dodoWebhookSecret,
        apiKey: 'dodo_test_stand_in',
        apiBase: peers.apiProxy.url,
      }),
    scenario(known) {
      const payment = dodoPayment({ metadata: carried });
      if (known) peers.api.set(`/payments/${payment.payment_id}`, payment);
      const refunded = dodoRefund(payment, { amount: 1000, is_partial: true });
      const event = dodoEvent('refund.succeeded', refunded);
      return {
        request: () =>
          standardWebhookRequest(url, event, {
            secret: dodoWebhookSecret,
            secretEncoding: 'whsec',
          }),
        transactionId: refunded.refund_id as string,
      };
    },
  },
  {
    name: 'LemonSqueezy',
    paymentKnown: false,
    handler: (options) =>
      lemonSqueezyWebhook({
        ...options,
        secret: lemonSqueezyWebhookSecret,
        apiKey: 'ls_test_stand_in',
        apiBase: peers.apiProxy.url,
      }),
    scenario(known) {
      const order = lemonSqueezyOrder({
        status: 'refunded',
        refunded: true,
        refunded_amount: 1000,
      });
      if (known) peers.api.set(`/v1/orders/${order.id}`, { data: order });
      const event = lemonSqueezyEvent('order_refunded', order, carried);
      return {
        request: () => lemonSqueezyRequest(url, event, { secret: lemonSqueezyWebhookSecret }),
        transactionId: `ls_order_${order.id}_refund`,
      };
    },
  },
  {
    name: 'Creem',
    paymentKnown: false,
    handler: (options) =>
      creemWebhook({
        ...options,
        secret: creemWebhookSecret,
        apiKey: creemTestApiKey,
        apiBase: peers.apiProxy.url,
      }),
    scenario(known) {
      const transaction = creemTransaction({ amount_paid: 2420 });
      if (known) {
        peers.api.set('/v1/transactions', transaction, {
          transaction_id: transaction.id as string,
        });
      }
      const subscription = creemSubscription({
        metadata: carried,
        last_transaction_id: transaction.id,
        current_period_start_date: '2026-02-12T11:58:38.000Z',
      });
      const event: Json = creemEvent('subscription.paid', subscription);
      return {
        request: () => creemRequest(url, event, { secret: creemWebhookSecret }),
        transactionId: transaction.id as string,
      };
    },
  },
];

const faults: Array<[string, ProxyFault]> = [
  ['429', { status: 429 }],
  ['a 503', { status: 503 }],
  ['a hung connection', { hang: true }],
];

const recorded = (id: string) =>
  context.dev.payments().filter((payment) => payment.transaction_id === id);

describe.each(cases)('$name webhook lookups', (provider) => {
  it.each(faults)(
    'answers 503 when the provider API answers %s, so the redelivery is recorded with its visitor',
    async (_name, fault) => {
      const errors: Array<[string, string | undefined]> = [];
      const webhook = provider.handler({
        datafast: context.client,
        timeoutMs: 1500,
        onError: (error, payment) => errors.push([error.message, payment?.transaction_id]),
      });
      const { request, transactionId } = provider.scenario(true);
      const proxy = provider.name === 'Stripe' ? peers.stripeProxy : peers.apiProxy;
      proxy.failNext(1, fault);
      const first = await webhook(request());
      expect([
        first.status,
        ((await first.json()) as { error?: { code?: string } }).error?.code,
      ]).toEqual([503, 'lookup_failed']);
      expect(recorded(transactionId)).toEqual([]);
      expect(errors).toEqual([
        [expect.stringContaining('redelivered'), provider.paymentKnown ? transactionId : undefined],
      ]);

      const redelivered = await webhook(request());
      expect(redelivered.status).toBe(200);
      expect(recorded(transactionId)).toEqual([
        expect.objectContaining({ datafast_visitor_id: visitor }),
      ]);
    },
  );
});

// Creem's renewal needs its transaction for the amount: without one there is nothing to record.
const attributionLookups = cases.filter((provider) => provider.name !== 'Creem');

describe.each(attributionLookups)('$name webhook, object unknown to the API', (provider) => {
  it('records the payment unattributed only when the API answers that there is no such object', async () => {
    const webhook = provider.handler({ datafast: context.client, onError() {} });
    const { request, transactionId } = provider.scenario(false);
    expect((await webhook(request())).status).toBe(200);
    // LemonSqueezy's refund carries its visitor; the others' refunds carry none of their own.
    const visitorField = provider.name === 'LemonSqueezy' ? { datafast_visitor_id: visitor } : {};
    expect(recorded(transactionId)).toEqual([
      provider.name === 'LemonSqueezy'
        ? expect.objectContaining(visitorField)
        : expect.not.objectContaining({ datafast_visitor_id: expect.anything() }),
    ]);
  });
});
