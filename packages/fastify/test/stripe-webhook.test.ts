import { createDatafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  checkoutSessionParams,
  stripeClientOptions,
  stripeWebhook,
} from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { toFastify } from '../src/index.js';
import { listen, majors, visitor } from './helpers/fastify.js';

// The README's idiom, nothing faked: a Checkout Session created with the real `stripe` package
// against the devserver's Stripe stand-in, paid on its hosted page; the stand-in signs and
// delivers `checkout.session.completed` to a listening Fastify route, where `stripeWebhook()`
// checks the signature with the `stripe` package on the raw bytes that a `parseAs: 'buffer'`
// parser kept, and the payment is recorded at the devserver.
const secret = 'whsec_fastify_e2e';
let dev: DevServer | undefined;
let app: { close(): Promise<unknown> } | undefined;
afterEach(async () => {
  await app?.close();
  await dev?.close();
});

describe.each(majors)('stripeWebhook() mounted in $name', ({ fastify }) => {
  async function start(rawBody: boolean) {
    const server = fastify();
    app = server;
    let webhookUrl = '';
    await server.register(async (webhooks) => {
      // The raw bytes for the signature check, in this context only: the app keeps its JSON parser.
      if (rawBody) {
        webhooks.addContentTypeParser(
          'application/json',
          { parseAs: 'buffer' },
          (_request, body, done) => done(null, body),
        );
      }
      webhooks.post('/api/webhooks/stripe', (request, reply) => handler(request, reply));
    });
    let handler: ReturnType<typeof toFastify> = async (_request, reply) => reply.code(503).send();
    const url = await listen(server);
    webhookUrl = `${url}/api/webhooks/stripe`;
    dev = await startDevServer({ stripe: { webhookUrl, webhookSecret: secret } });
    const stripe = new Stripe(dev.stripe.secretKey, {
      ...stripeClientOptions(dev.stripe.apiBase),
      maxNetworkRetries: 0,
    });
    const datafast = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });
    handler = toFastify(stripeWebhook({ secret, stripe, datafast }));
    return { stripe, devServer: dev };
  }

  async function pay(stripe: Stripe, devServer: DevServer) {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'usd', unit_amount: 2999, product_data: { name: 'Pro plan' } },
          quantity: 1,
        },
      ],
      success_url: 'http://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
      ...checkoutSessionParams(
        new Request('http://shop.example/checkout', {
          headers: { cookie: `datafast_visitor_id=${visitor}` },
        }),
        'payment',
      ),
    });
    const paid = await fetch(session.url as string, {
      method: 'POST',
      body: new URLSearchParams({ email: 'ada@example.com', name: 'Ada' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    await devServer.stripe.settled();
  }

  it('verifies the signed event on the raw bytes and reports the payment, attributed', async () => {
    const { stripe, devServer } = await start(true);
    await pay(stripe, devServer);
    expect(
      devServer.stripe.events().map((e) => [e.event.type, e.deliveries.at(-1)?.status]),
    ).toEqual([['checkout.session.completed', 200]]);
    expect(devServer.payments()).toHaveLength(1);
    expect(devServer.payments()[0]).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  });

  it("answers 500 naming the fix when Fastify's JSON parser took the body first", async () => {
    const { stripe, devServer } = await start(false);
    await pay(stripe, devServer);
    const [delivery] = devServer.stripe.events();
    expect(delivery?.deliveries.at(-1)?.status).toBe(500);
    expect(devServer.payments()).toHaveLength(0);
  });
});
