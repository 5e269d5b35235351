// size: the Stripe webhook's answers (reporting, refusals, DataFast down) through the real stripe package.
import {
  checkoutSession,
  invoice,
  payloadOf,
  refund,
  stripeDispute,
  stripeEvent,
  subscriptionSession,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import { type StripeWebhookOptions, stripeWebhook } from '../src/stripe/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { signedRequest, suiteStripeApi, type WebhookAnswer } from './helpers/stripe.js';

const url = 'https://shop.example/api/webhooks/stripe';
const context = suiteDevServer();
const api = suiteStripeApi();

function handler(options: Partial<StripeWebhookOptions> = {}) {
  return stripeWebhook({
    secret: webhookSecret,
    stripe: api.stripe,
    datafast: context.client,
    ...options,
  });
}

async function send(
  webhook: (request: Request) => Promise<Response>,
  event: Record<string, unknown>,
  options: Parameters<typeof signedRequest>[2] = {},
) {
  const response = await webhook(signedRequest(url, event, options));
  return { status: response.status, body: (await response.json()) as WebhookAnswer };
}

const recorded = (id: unknown) =>
  context.dev.payments().filter((payment) => payment.transaction_id === id);

describe('stripeWebhook: reporting', () => {
  it('reports a paid payment-link session with its visitor, once across redeliveries', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const event = stripeEvent('checkout.session.completed', session);
    const webhook = handler();
    expect(await send(webhook, event)).toEqual({
      status: 200,
      body: { received: true, reported: [session.payment_intent] },
    });
    // Redelivered to this process, and to a fresh one that remembers nothing (DataFast dedupes).
    expect((await send(webhook, event)).status).toBe(200);
    expect((await send(handler(), event)).status).toBe(200);
    expect(recorded(session.payment_intent)).toEqual([
      expect.objectContaining({
        amount: 29.99,
        currency: 'USD',
        datafast_visitor_id: visitor,
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        customer_id: 'cus_test_ada',
        is_free_trial: false,
      }),
    ]);
    expect(context.dev.stats().duplicates).toBe(1);
  });

  it('reports an async payment once: nothing while unpaid, then async_payment_succeeded, also redelivered', async () => {
    const pending = checkoutSession({
      payment_status: 'unpaid',
      metadata: { datafast_visitor_id: visitor },
    });
    const webhook = handler();
    const first = await send(webhook, stripeEvent('checkout.session.completed', pending));
    expect(first).toMatchObject({
      status: 200,
      body: { ignored: expect.stringContaining('not paid') },
    });
    expect(context.dev.requests()).toEqual([]);
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', {
      ...pending,
      payment_status: 'paid',
    });
    await send(webhook, succeeded);
    await send(webhook, succeeded);
    expect(recorded(pending.payment_intent)).toHaveLength(1);
    expect(recorded(pending.payment_intent)[0]?.datafast_visitor_id).toBe(visitor);
  });

  it('counts the first charge of a payment-link subscription once, attributed, when the invoice arrives first', async () => {
    const session = subscriptionSession({ client_reference_id: visitor });
    api.standIn.addSession(session as { id: string });
    const first = invoice(
      { shape: 'basil', subscription: session.subscription as string },
      { id: session.invoice },
    );
    const webhook = handler();
    expect((await send(webhook, stripeEvent('invoice.paid', first))).status).toBe(200);
    expect((await send(webhook, stripeEvent('checkout.session.completed', session))).status).toBe(
      200,
    );
    expect(recorded(session.invoice)).toEqual([
      expect.objectContaining({ amount: 29.99, datafast_visitor_id: visitor }),
    ]);
    expect(api.standIn.requests).toContainEqual(
      expect.objectContaining({
        path: '/v1/checkout/sessions',
        query: expect.objectContaining({ subscription: session.subscription }),
      }),
    );
  });

  it('counts it once when the session arrives first (pre-2025 invoice shape)', async () => {
    const session = subscriptionSession({ client_reference_id: visitor });
    api.standIn.addSession(session as { id: string });
    const first = invoice(
      { shape: 'legacy', subscription: session.subscription as string },
      { id: session.invoice },
    );
    const webhook = handler();
    await send(webhook, stripeEvent('checkout.session.completed', session));
    await send(webhook, stripeEvent('invoice.paid', first));
    expect(recorded(session.invoice)).toEqual([
      expect.objectContaining({ datafast_visitor_id: visitor }),
    ]);
  });

  it('attributes renewals through subscription_data.metadata, marked as renewals', async () => {
    const metadata = { datafast_visitor_id: visitor };
    const subscription = 'sub_test_renewing';
    const webhook = handler();
    // The subscription's first charge, paid before both renewals.
    const first = invoice({ shape: 'basil', subscription }, { created: 1763800000 });
    api.standIn.addInvoicePayment('pi_test_renewing_first', first);
    const renewal = invoice(
      { shape: 'basil', subscription, subscriptionMetadata: metadata },
      { billing_reason: 'subscription_cycle', amount_paid: 1500, currency: 'kwd' },
    );
    const legacyRenewal = invoice(
      { shape: 'legacy', subscription, subscriptionMetadata: metadata },
      { billing_reason: 'subscription_cycle', amount_paid: 5000, currency: 'jpy' },
    );
    await send(webhook, stripeEvent('invoice.paid', renewal));
    await send(webhook, stripeEvent('invoice.paid', legacyRenewal));
    expect(recorded(renewal.id)).toEqual([
      expect.objectContaining({
        amount: 1.5,
        currency: 'KWD',
        renewal: true,
        datafast_visitor_id: visitor,
      }),
    ]);
    expect(recorded(legacyRenewal.id)).toEqual([
      expect.objectContaining({
        amount: 5000,
        currency: 'JPY',
        renewal: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('reports the first paid invoice after a free trial as new revenue, and the next one as a renewal', async () => {
    const subscription = 'sub_test_after_trial';
    const webhook = handler();
    const trial = invoice(
      { shape: 'basil', subscription },
      { amount_paid: 0, created: 1763800000 },
    );
    const afterTrial = invoice(
      { shape: 'basil', subscription },
      { billing_reason: 'subscription_cycle', created: 1764400000 },
    );
    const next = invoice(
      { shape: 'legacy', subscription },
      { billing_reason: 'subscription_cycle', created: 1767000000 },
    );
    for (const [paid, pi] of [
      [trial, 'pi_trial'],
      [afterTrial, 'pi_after_trial'],
      [next, 'pi_next'],
    ] as const) {
      api.standIn.addInvoicePayment(pi, paid);
    }
    for (const paid of [trial, afterTrial, next]) {
      expect((await send(webhook, stripeEvent('invoice.paid', paid))).status).toBe(200);
    }
    expect(recorded(afterTrial.id)).toEqual([expect.objectContaining({ amount: 29.99 })]);
    expect(recorded(afterTrial.id)[0]).not.toHaveProperty('renewal', true);
    expect(recorded(next.id)).toEqual([expect.objectContaining({ renewal: true })]);
    expect(api.standIn.requests.filter((r) => r.path === '/v1/invoices').at(-1)?.query).toEqual(
      expect.objectContaining({ subscription, status: 'paid' }),
    );
  });

  it('reports a trial and a 100%-off subscription as zero-amount payments that differ in is_free_trial', async () => {
    const trial = subscriptionSession({
      amount_total: 0,
      amount_subtotal: 0,
      metadata: { datafast_visitor_id: visitor },
    });
    const coupon = subscriptionSession({
      amount_total: 0,
      payment_status: 'no_payment_required',
      total_details: { amount_discount: 2999, amount_shipping: 0, amount_tax: 0 },
    });
    const webhook = handler();
    await send(webhook, stripeEvent('checkout.session.completed', trial));
    await send(webhook, stripeEvent('checkout.session.completed', coupon));
    expect(recorded(trial.invoice)).toEqual([
      expect.objectContaining({ amount: 0, is_free_trial: true }),
    ]);
    expect(recorded(coupon.invoice)).toEqual([
      expect.objectContaining({ amount: 0, is_free_trial: false }),
    ]);
  });

  it('reports partial and full refunds each once, attributed through the payment’s Checkout Session', async () => {
    const session = checkoutSession({
      client_reference_id: visitor,
      amount_total: 5000,
      currency: 'eur',
    });
    api.standIn.addSession(session as { id: string });
    const partial = refund({
      amount: 1500,
      currency: 'eur',
      payment_intent: session.payment_intent,
      status: 'pending',
    });
    const rest = refund({ amount: 3500, currency: 'eur', payment_intent: session.payment_intent });
    const webhook = handler();
    await send(webhook, stripeEvent('refund.created', partial));
    expect(recorded(partial.id)).toEqual([]);
    const partialDone = stripeEvent('refund.updated', { ...partial, status: 'succeeded' });
    await send(webhook, partialDone);
    await send(handler(), partialDone); // redelivered elsewhere
    await send(webhook, stripeEvent('refund.created', rest));
    expect(recorded(partial.id)).toEqual([
      expect.objectContaining({
        amount: 15,
        currency: 'EUR',
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
    expect(recorded(rest.id)).toEqual([
      expect.objectContaining({ amount: 35, refunded: true, datafast_visitor_id: visitor }),
    ]);
  });

  it('reports a lost dispute once as a refund, attributed through the payment’s Checkout Session, and a won one never', async () => {
    const session = checkoutSession({ client_reference_id: visitor, amount_total: 5000 });
    api.standIn.addSession(session as { id: string });
    const webhook = handler();
    await send(webhook, stripeEvent('checkout.session.completed', session));
    const dispute = stripeDispute({ amount: 5000, payment_intent: session.payment_intent });
    const opened = { ...dispute, status: 'needs_response' };
    await send(webhook, stripeEvent('charge.dispute.created', opened));
    await send(webhook, stripeEvent('charge.dispute.funds_withdrawn', opened));
    const closed = stripeEvent('charge.dispute.closed', dispute);
    await send(webhook, closed);
    await send(handler(), closed); // redelivered elsewhere
    const won = stripeDispute({ status: 'won', payment_intent: session.payment_intent });
    await send(webhook, stripeEvent('charge.dispute.funds_reinstated', won));
    await send(webhook, stripeEvent('charge.dispute.closed', won));
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({ transaction_id: session.payment_intent, amount: 50 }),
      expect.objectContaining({
        transaction_id: dispute.id,
        amount: 50,
        refunded: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('attributes a subscription refund through its invoice (API 2025-03-31 invoice payments)', async () => {
    const session = subscriptionSession({ client_reference_id: visitor });
    api.standIn.addSession(session as { id: string });
    const paymentIntent = 'pi_test_subscription_refund';
    api.standIn.addInvoicePayment(
      paymentIntent,
      invoice(
        { shape: 'basil', subscription: session.subscription as string },
        { id: session.invoice },
      ) as { id: string },
    );
    const refunded = refund({ amount: 2999, payment_intent: paymentIntent });
    await send(handler(), stripeEvent('refund.created', refunded));
    expect(recorded(refunded.id)).toEqual([
      expect.objectContaining({ refunded: true, amount: 29.99, datafast_visitor_id: visitor }),
    ]);
  });

  it('reports without lookups when no Stripe client is given (api.stripe imported on demand to verify)', async () => {
    const session = subscriptionSession({ client_reference_id: visitor });
    const first = invoice(
      { shape: 'basil', subscription: session.subscription as string },
      { id: session.invoice },
    );
    const requestsBefore = api.standIn.requests.length;
    const result = await send(
      stripeWebhook({ secret: webhookSecret, datafast: context.client }),
      stripeEvent('invoice.paid', first),
    );
    expect(result.status).toBe(200);
    // Documented: without a client the first invoice cannot find the payment link's visitor.
    expect(recorded(first.id)).toEqual([
      expect.not.objectContaining({ datafast_visitor_id: expect.anything() }),
    ]);
    expect(api.standIn.requests.length).toBe(requestsBefore);
  });

  it('answers 200 for events it does not handle, and sends nothing', async () => {
    const result = await send(
      handler(),
      stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }),
    );
    expect(result).toEqual({
      status: 200,
      body: { received: true, ignored: 'customer.created is not a payment event' },
    });
    expect(context.dev.requests()).toEqual([]);
  });
});

describe('stripeWebhook: refusals', () => {
  const event = () => stripeEvent('checkout.session.completed', checkoutSession());

  it('answers 400 for a tampered body and reports nothing', async () => {
    const original = event();
    const payload = payloadOf(original).replace('"amount_total": 2999', '"amount_total": 1');
    const request = signedRequest(url, original);
    const header = request.headers.get('stripe-signature') as string;
    const response = await handler()(
      new Request(url, { method: 'POST', headers: { 'stripe-signature': header }, body: payload }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid_signature',
        message: expect.stringContaining('No signatures found matching'),
      },
    });
    expect(context.dev.requests()).toEqual([]);
  });

  it('answers 400 for a stale timestamp, a wrong secret and a missing header', async () => {
    const stale = await send(handler(), event(), {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale).toEqual({
      status: 400,
      body: {
        error: { code: 'invalid_signature', message: 'Timestamp outside the tolerance zone' },
      },
    });
    const wrong = await send(handler(), event(), { secret: 'whsec_someone_else' });
    expect(wrong.status).toBe(400);
    const unsigned = await handler()(
      new Request(url, { method: 'POST', body: payloadOf(event()) }),
    );
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({
      error: { message: 'missing Stripe-Signature header' },
    });
    expect(context.dev.requests()).toEqual([]);
  });

  it('explains a body that was parsed and re-serialised', async () => {
    const original = event();
    const signed = signedRequest(url, original);
    const reserialised = JSON.stringify(JSON.parse(payloadOf(original)));
    const response = await handler()(
      new Request(url, { method: 'POST', headers: signed.headers, body: reserialised }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as WebhookAnswer).error?.message).toMatch(
      /re-serialised .*raw bytes/,
    );
  });

  it('refuses a request whose body was already read, with the fix', async () => {
    const request = signedRequest(url, event());
    await request.text();
    const response = await handler()(request);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: {
        code: 'body_parsed',
        message: expect.stringContaining("express.raw({ type: 'application/json' })"),
      },
    });
  });

  it('answers 503 "not configured" without a secret, and 405 for other methods', async () => {
    const previous = process.env.STRIPE_WEBHOOK_SECRET;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    try {
      const response = await stripeWebhook({ stripe: api.stripe, datafast: context.client })(
        signedRequest(url, event()),
      );
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: {
          code: 'not_configured',
          message: 'Stripe webhook is not configured: set STRIPE_WEBHOOK_SECRET or pass { secret }',
        },
      });
      // Read per request: a secret set after the handler was made (dotenv) is used.
      process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
      const later = await stripeWebhook({ stripe: api.stripe, datafast: context.client })(
        signedRequest(url, event()),
      );
      expect(later.status).toBe(200);
    } finally {
      if (previous === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
      else process.env.STRIPE_WEBHOOK_SECRET = previous;
    }
    const get = await handler()(new Request(url));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('stripeWebhook: DataFast down', () => {
  it('answers 5xx after retrying, reports the loss to onError, and records the redelivery once', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const event = stripeEvent('checkout.session.completed', session);
    const errors: Array<[string, unknown]> = [];
    const webhook = handler({
      onError: (error, payment) => errors.push([error.name, payment?.transaction_id]),
    });
    context.dev.setFaults({ failureRate: 1, failureStatus: 503 });
    const down = await send(webhook, event);
    expect(down.status).toBe(502);
    expect(down.body.error).toEqual({
      code: 'delivery_failed',
      message: expect.stringContaining('503'),
    });
    expect(errors).toEqual([['DatafastApiError', session.payment_intent]]);
    expect(context.dev.requests().length).toBeGreaterThan(1); // it retried

    context.dev.setFaults({});
    expect((await send(webhook, event)).status).toBe(200);
    expect((await send(webhook, event)).status).toBe(200);
    expect(recorded(session.payment_intent)).toHaveLength(1);
  });

  it('gives up within its time budget when DataFast hangs', async () => {
    context.dev.setFaults({ failNext: { count: 10, mode: 'hang' } });
    const result = await send(
      handler({ timeoutMs: 1500 }),
      stripeEvent('checkout.session.completed', checkoutSession()),
    );
    expect(result.status).toBe(502);
    expect(result.body.error?.message).toContain('within 1500 ms');
    context.dev.setFaults({});
  });

  it('never puts the webhook secret or the API key in an answer', async () => {
    context.dev.setFaults({ failureRate: 1, failureStatus: 401 });
    const answers = [
      await send(handler(), stripeEvent('checkout.session.completed', checkoutSession())),
      await send(handler(), stripeEvent('checkout.session.completed', checkoutSession()), {
        secret: 'whsec_other',
      }),
    ];
    context.dev.setFaults({});
    const text = JSON.stringify(answers);
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain('whsec_other');
    expect(text).not.toContain(context.dev.apiKey);
  });
});
