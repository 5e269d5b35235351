import {
  checkoutSession,
  payloadOf,
  refund,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import { onPaymentSucceeded } from '../src/index.js';
import { stripeCheckoutSession, stripeWebhook } from '../src/stripe/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { suiteStripeApi } from './helpers/stripe.js';

// Every major of `stripe` the peer range claims is installed (npm aliases `stripe18`…, the peer
// itself for the newest) and drives the three things we ask of a user's client: verifying a
// signature, retrieving a session for the success page, and listing sessions for a lookup.
const majors = ['stripe18', 'stripe19', 'stripe20', 'stripe21', 'stripe22', 'stripe'] as const;

type StripeModule = {
  default: (new (
    key: string,
    options: object,
  ) => unknown) & {
    webhooks: { generateTestHeaderString(options: { payload: string; secret: string }): string };
  };
};

const context = suiteDevServer();
const api = suiteStripeApi();

describe.each(majors)('with %s', (name) => {
  async function client() {
    const { default: Stripe } = (await import(name)) as StripeModule;
    const stripe = new Stripe('sk_test_stand_in', {
      ...api.standIn.clientOptions,
      maxNetworkRetries: 0,
    });
    return { Stripe, stripe };
  }

  it('verifies its own signature and reports the session', async () => {
    const { Stripe, stripe } = await client();
    const session = checkoutSession({ client_reference_id: visitor });
    const payload = payloadOf(stripeEvent('checkout.session.completed', session));
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const handler = stripeWebhook({
      secret: webhookSecret,
      stripe: stripe as never,
      datafast: context.client,
    });
    const response = await handler(
      new Request('https://shop.example/api/webhooks/stripe', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      }),
    );
    expect(response.status).toBe(200);
    expect(await context.dev.waitForPayment(session.payment_intent as string)).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it('retrieves the session for the success page', async () => {
    const { stripe } = await client();
    const session = checkoutSession();
    api.standIn.addSession(session as { id: string });
    const page = onPaymentSucceeded(stripeCheckoutSession(stripe as never), undefined, {
      datafast: context.client,
    });
    await page(
      new Request(`https://shop.example/success?session_id=${session.id}`, {
        headers: { cookie: `datafast_visitor_id=${visitor}` },
      }),
    );
    expect(await context.dev.waitForPayment(session.payment_intent as string)).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it("finds a refund's visitor by listing sessions", async () => {
    const { Stripe, stripe } = await client();
    const session = checkoutSession({ client_reference_id: visitor });
    api.standIn.addSession(session as { id: string });
    const refunded = refund({ payment_intent: session.payment_intent });
    const payload = payloadOf(stripeEvent('refund.created', refunded));
    const handler = stripeWebhook({
      secret: webhookSecret,
      stripe: stripe as never,
      datafast: context.client,
    });
    const response = await handler(
      new Request('https://shop.example/api/webhooks/stripe', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({
            payload,
            secret: webhookSecret,
          }),
        },
        body: payload,
      }),
    );
    expect(response.status).toBe(200);
    expect(await context.dev.waitForPayment(refunded.id as string)).toMatchObject({
      refunded: true,
      datafast_visitor_id: visitor,
    });
  });
});
