import { createDatafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import {
  checkoutSession,
  payloadOf,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import { Hono } from 'hono';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listening, listen } from './helpers/listen.js';

// A payment-links handler mounted as the README shows, on a listening Hono app on Node, sent a
// webhook signed by the real `stripe` package and reporting to the devserver.
let dev: DevServer;
let running: Listening;

beforeAll(async () => {
  dev = await startDevServer();
  const webhook = stripeWebhook({
    secret: webhookSecret,
    datafast: createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url, maxRetries: 0 }),
  });
  const app = new Hono();
  app.post('/api/webhooks/stripe', (c) => webhook(c.req.raw));
  running = await listen(app);
});
afterAll(async () => {
  await running?.close();
  await dev?.close();
});

function send(payload: string, signature: string) {
  return fetch(`${running.url}/api/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
}

describe('stripeWebhook() as a Hono route: app.post(path, (c) => webhook(c.req.raw))', () => {
  it('verifies the raw body and reports the payment-link session with its visitor', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const payload = payloadOf(stripeEvent('checkout.session.completed', session));
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const response = await send(payload, signature);
    expect(await response.json()).toEqual({ received: true, reported: [session.payment_intent] });
    const stored = dev.payments().filter((p) => p.transaction_id === session.payment_intent);
    expect(stored).toEqual([
      expect.objectContaining({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor }),
    ]);
  });

  it('answers 400 to a signature made with another secret, reporting nothing', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const payload = payloadOf(stripeEvent('checkout.session.completed', session));
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    expect((await send(payload, signature)).status).toBe(400);
    expect(dev.payments().some((p) => p.transaction_id === session.payment_intent)).toBe(false);
  });
});
