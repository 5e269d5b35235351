import type { DevServer } from '@datafast-checkout/devserver';
import {
  checkoutSession,
  payloadOf,
  type RunningApp,
  type StripeStandIn,
  startStripeStandIn,
  stripeEvent,
  visitor,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDataFast } from './support/devserver.js';
import { exitOf, startExpressExample } from './support/processes.js';
import { secrets } from './support/secrets.js';

// The Express example wired to Stripe (its webhook is payment-links' stripeWebhook, its success
// page onPaymentSucceeded), against the Stripe API stand-in, with real signatures.
let dev: DevServer;
let stripeApi: StripeStandIn;
let app: RunningApp | undefined;

beforeAll(async () => {
  [dev, stripeApi] = await Promise.all([startDataFast('storms'), startStripeStandIn()]);
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([dev?.close(), stripeApi?.close()]);
});
beforeEach(async () => {
  dev.reset();
  await app?.stop();
  app = await startExpressExample('storms-app', {
    DATAFAST_API_KEY: secrets.apiKey,
    DATAFAST_BASE_URL: dev.url,
    STRIPE_SECRET_KEY: secrets.stripeKey,
    STRIPE_WEBHOOK_SECRET: secrets.webhookSecret,
    STRIPE_API_BASE: stripeApi.url,
  });
});

function deliver(target: RunningApp, event: Record<string, unknown>): Promise<Response> {
  const payload = payloadOf(event);
  return fetch(`${target.url}/api/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: secrets.webhookSecret,
      }),
    },
    body: payload,
  });
}

/** Stops the app with SIGTERM: flushOnShutdown drains its background reports first. */
async function drain(target: RunningApp): Promise<void> {
  target.process.kill('SIGTERM');
  await exitOf(target.process, 20_000);
}

describe('duplicate storms', () => {
  it('stores one payment when Stripe delivers the same event 20 times at once', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const event = stripeEvent('checkout.session.completed', session);
    const target = app as RunningApp;
    // Slow answers: every delivery reaches DataFast before the first one is answered.
    dev.setFaults({ latencyMs: 300 });

    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => (await deliver(target, event)).status),
    );
    await drain(target);

    expect(statuses).toEqual(Array(20).fill(200));
    expect(dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: session.payment_intent,
        amount: 29.99,
        datafast_visitor_id: visitor,
      }),
    ]);
    const posts = dev.requests().filter((r) => r.method === 'POST').length;
    console.log(
      `[reliability] duplicate storm: 20 concurrent deliveries of one Stripe event -> ${posts} POSTs to DataFast, 1 payment stored (${dev.stats().duplicates} answered as duplicates)`,
    );
  });

  it('stores one payment when the success page is reloaded while the webhook arrives', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    stripeApi.addSession(session as { id: string });
    const event = stripeEvent('checkout.session.completed', session);
    const target = app as RunningApp;

    const pages = Array.from({ length: 10 }, () =>
      fetch(`${target.url}/success?session_id=${session.id}`, {
        headers: { cookie: `datafast_visitor_id=${visitor}` },
      }),
    );
    const hooks = Array.from({ length: 10 }, () => deliver(target, event));
    const answers = await Promise.all([...pages, ...hooks]);
    await drain(target);

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: session.payment_intent,
        datafast_visitor_id: visitor,
      }),
    ]);
  });
});
