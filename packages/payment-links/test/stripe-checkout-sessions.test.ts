import { createDatafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import express from 'express';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toExpress } from '../src/index.js';
import {
  checkoutSessionParams,
  stripeCheckoutSession,
  stripeClientOptions,
  stripeWebhook,
} from '../src/stripe/index.js';

// The Checkout Session path as a server takes it, with nothing faked: `checkoutSessionParams`
// from the visitor's cookie into `stripe.checkout.sessions.create` (the real `stripe` package)
// against the devserver's Stripe stand-in, the hosted page paid as its form does, the signed
// events into a listening `stripeWebhook`, and the payments recorded at the devserver.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const secret = 'whsec_checkout_sessions_e2e';
let dev: DevServer;
let stripe: Stripe;
let server: ReturnType<ReturnType<typeof express>['listen']>;

beforeAll(async () => {
  const app = express();
  let webhookUrl = '';
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address() as { port: number };
  webhookUrl = `http://127.0.0.1:${address.port}/api/webhooks/stripe`;
  dev = await startDevServer({ stripe: { webhookUrl, webhookSecret: secret } });
  stripe = new Stripe(dev.stripe.secretKey, {
    ...stripeClientOptions(dev.stripe.apiBase),
    maxNetworkRetries: 0,
  });
  const datafast = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });
  app.post(
    '/api/webhooks/stripe',
    express.raw({ type: 'application/json' }),
    toExpress(stripeWebhook({ secret, stripe, datafast })),
  );
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await dev?.close();
});
beforeEach(() => dev.reset());

/** The checkout request of a visitor whose tracker set the cookie. */
const visitorRequest = () =>
  new Request('http://shop.example/checkout', {
    method: 'POST',
    headers: { cookie: `datafast_visitor_id=${visitor}` },
  });

async function payOnHostedPage(url: string) {
  const paid = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ email: 'ada@example.com', name: 'Ada' }),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
  await dev.stripe.settled();
  return paid.headers.get('location') ?? '';
}

describe('a Checkout Session created with checkoutSessionParams, paid on the stand-in', () => {
  it('reports a one-time payment once, attributed, from the webhook and the success page', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'usd', unit_amount: 2999, product_data: { name: 'Pro plan' } },
          quantity: 1,
        },
      ],
      success_url: 'http://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
      ...checkoutSessionParams(visitorRequest(), 'payment'),
    });
    const location = await payOnHostedPage(session.url as string);
    expect(dev.stripe.events().map((e) => [e.event.type, e.deliveries.at(-1)?.status])).toEqual([
      ['checkout.session.completed', 200],
    ]);
    const [payment] = dev.payments();
    expect(dev.payments()).toHaveLength(1);
    expect(payment).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
      email: 'ada@example.com',
    });

    // The success page's lookup finds the same payment: DataFast records it once.
    const sessionId = new URL(location).searchParams.get('session_id') as string;
    const fromPage = await stripeCheckoutSession(stripe)(
      new Request(`http://shop.example/success?session_id=${sessionId}`),
    );
    expect(fromPage).toMatchObject({
      payment: { transaction_id: payment?.transaction_id, amount: 29.99 },
      carriedVisitorId: visitor,
    });
  });

  it('reports a subscription and its renewal, each attributed through subscription_data.metadata', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [
        {
          price_data: {
            currency: 'eur',
            unit_amount: 900,
            product_data: { name: 'Team' },
            recurring: { interval: 'month' },
          },
          quantity: 1,
        },
      ],
      success_url: 'http://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
      ...checkoutSessionParams(visitorRequest(), 'subscription'),
    });
    await payOnHostedPage(session.url as string);
    const { subscription } = (await stripe.checkout.sessions.retrieve(session.id)) as {
      subscription: string;
    };
    await dev.stripe.renew(subscription);
    await dev.stripe.settled();

    expect(dev.payments()).toEqual([
      expect.objectContaining({ amount: 9, currency: 'EUR', datafast_visitor_id: visitor }),
      expect.objectContaining({
        amount: 9,
        currency: 'EUR',
        datafast_visitor_id: visitor,
        renewal: true,
      }),
    ]);
  });

  it('starts a trial as a free trial, attributed', async () => {
    // Spread first, then merge: a `subscription_data` of its own would replace the carrier's.
    const carried = checkoutSessionParams(visitorRequest(), 'subscription');
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [
        {
          price_data: {
            currency: 'usd',
            unit_amount: 900,
            product_data: { name: 'Team' },
            recurring: { interval: 'month' },
          },
          quantity: 1,
        },
      ],
      success_url: 'http://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
      ...carried,
      subscription_data: { ...carried.subscription_data, trial_period_days: 14 },
    });
    await payOnHostedPage(session.url as string);
    expect(dev.payments()).toEqual([
      expect.objectContaining({ amount: 0, is_free_trial: true, datafast_visitor_id: visitor }),
    ]);
  });
});

describe('stripeClientOptions', () => {
  it('splits an API base URL into the options new Stripe() takes, and reads STRIPE_API_BASE', () => {
    expect(stripeClientOptions('http://127.0.0.1:4100')).toEqual({
      host: '127.0.0.1',
      port: 4100,
      protocol: 'http',
    });
    expect(stripeClientOptions('https://stripe.internal.example')).toEqual({
      host: 'stripe.internal.example',
      port: 443,
      protocol: 'https',
    });
    expect(stripeClientOptions('http://[::1]:4100/')).toMatchObject({ host: '::1', port: 4100 });
    expect(stripeClientOptions(undefined)).toEqual({});
    expect(stripeClientOptions('')).toEqual({});
    expect(() => stripeClientOptions('127.0.0.1:4100')).toThrow(/STRIPE_API_BASE must be/);
    const saved = process.env.STRIPE_API_BASE;
    process.env.STRIPE_API_BASE = 'http://localhost:12111';
    try {
      expect(stripeClientOptions()).toEqual({ host: 'localhost', port: 12111, protocol: 'http' });
    } finally {
      if (saved === undefined) delete process.env.STRIPE_API_BASE;
      else process.env.STRIPE_API_BASE = saved;
    }
  });
});
