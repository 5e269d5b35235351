import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { stripeClient, VISITOR } from './helpers.js';
import { startWebhookReceiver } from './webhook-receiver.js';

// Checkout Sessions a server creates with its `stripe` client (`stripe.checkout.sessions.create`)
// against the stand-in, paid on the hosted page their `url` names (GET the page, POST its form,
// as a browser does), with the account's webhook endpoint receiving the events, verified by the
// real `stripe` package. Request and answer shapes after
// https://docs.stripe.com/api/checkout/sessions/create.

let dev: DevServer;
let endpoint: Awaited<ReturnType<typeof startWebhookReceiver>>;
let stripe: Stripe;
const secret = 'whsec_sessions_test_secret';

beforeAll(async () => {
  endpoint = await startWebhookReceiver(secret);
  dev = await startDevServer({
    stripe: { webhookUrl: endpoint.url, webhookSecret: secret },
  });
  stripe = stripeClient(dev);
});
afterAll(async () => {
  await dev?.close();
  await endpoint?.close();
});
beforeEach(async () => {
  await dev.reset();
  endpoint.clear();
});

const success = 'https://shop.example/success?session_id={CHECKOUT_SESSION_ID}';
const proPlan = (recurring?: { interval: 'month' | 'year' }) => ({
  price_data: {
    currency: 'usd',
    unit_amount: 2999,
    product_data: { name: 'Pro plan' },
    ...(recurring ? { recurring } : {}),
  },
  quantity: 1,
});

/** Pays a session on its hosted page as its form does; answers the redirect. */
async function payOnPage(url: string, email = 'ada@example.com') {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const response = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ email, name: 'Ada' }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  await dev.stripe.settled();
  return response.headers.get('location') ?? '';
}

describe('POST /v1/checkout/sessions', () => {
  it('answers an open session with its hosted page, as Stripe does', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [proPlan()],
      success_url: success,
      cancel_url: 'https://shop.example/',
      client_reference_id: VISITOR,
      customer_email: 'ada@example.com',
      metadata: { datafast_visitor_id: VISITOR },
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2999,
      currency: 'usd',
      client_reference_id: VISITOR,
      customer_email: 'ada@example.com',
      metadata: { datafast_visitor_id: VISITOR },
      success_url: success,
      cancel_url: 'https://shop.example/',
      payment_intent: null,
      customer: null,
    });
    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(session.url).toBe(`${dev.url}/c/pay/${session.id}`);
    // Nothing happened yet: no event until the buyer pays.
    expect(dev.stripe.events()).toEqual([]);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: 'open' });

    const page = await (await fetch(session.url as string)).text();
    expect(page).toContain('Pro plan');
    expect(page).toContain('$29.99');
    expect(page).toContain(`metadata.datafast_visitor_id=${VISITOR}`);
    expect(page).toMatch(/not Stripe/);
    expect(page).not.toContain(secret);
  });

  it('pays on the hosted page: completed session, signed event with its metadata, success redirect', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [proPlan()],
      success_url: success,
      metadata: { datafast_visitor_id: VISITOR },
      payment_intent_data: { metadata: { datafast_visitor_id: VISITOR } },
    });
    const location = await payOnPage(session.url as string);

    expect(location).toBe(`https://shop.example/success?session_id=${session.id}`);
    expect(endpoint.types()).toEqual(['checkout.session.completed']);
    const completed = endpoint.received[0]?.event.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({
      id: session.id,
      status: 'complete',
      payment_status: 'paid',
      amount_total: 2999,
      metadata: { datafast_visitor_id: VISITOR },
      customer_details: { email: 'ada@example.com', name: 'Ada' },
      payment_link: null,
      url: null,
    });
    const paymentIntent = await stripe.paymentIntents.retrieve(completed.payment_intent as string);
    expect(paymentIntent).toMatchObject({
      status: 'succeeded',
      amount: 2999,
      metadata: { datafast_visitor_id: VISITOR },
    });
    // The success page's lookup, then a second visit: paid once, the page says so.
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      payment_status: 'paid',
    });
    const again = await fetch(session.url as string);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('is complete');
  });

  it('starts a subscription with an existing price: invoice.paid carries subscription_data.metadata', async () => {
    const price = await stripe.prices.create({
      currency: 'eur',
      unit_amount: 900,
      recurring: { interval: 'month' },
      product_data: { name: 'Team' },
    });
    expect(price).toMatchObject({ object: 'price', type: 'recurring', unit_amount: 900 });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: success,
      metadata: { datafast_visitor_id: VISITOR },
      subscription_data: { metadata: { datafast_visitor_id: VISITOR } },
    });
    expect(session).toMatchObject({ amount_total: 1800, currency: 'eur', subscription: null });
    await payOnPage(session.url as string);

    expect(endpoint.types()).toEqual(['checkout.session.completed', 'invoice.paid']);
    const completed = endpoint.received[0]?.event.data.object as Stripe.Checkout.Session;
    const invoice = endpoint.received[1]?.event.data.object as Stripe.Invoice;
    expect(completed).toMatchObject({ payment_status: 'paid', mode: 'subscription' });
    expect(invoice).toMatchObject({
      amount_paid: 1800,
      billing_reason: 'subscription_create',
      parent: {
        subscription_details: {
          subscription: completed.subscription,
          metadata: { datafast_visitor_id: VISITOR },
        },
      },
    });
    expect(await stripe.subscriptions.retrieve(completed.subscription as string)).toMatchObject({
      status: 'active',
      metadata: { datafast_visitor_id: VISITOR },
    });

    // A renewal keeps the subscription's metadata on its invoice.
    const renewal = await dev.stripe.renew(completed.subscription as string);
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      parent: { subscription_details: { metadata: { datafast_visitor_id: VISITOR } } },
    });
    await dev.stripe.settled();
    expect(endpoint.types()).toEqual([
      'checkout.session.completed',
      'invoice.paid',
      'invoice.paid',
    ]);
  });

  it('starts a trial: nothing to pay, a 0 first invoice', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [proPlan({ interval: 'month' })],
      success_url: success,
      subscription_data: { trial_period_days: 14 },
    });
    expect(session.amount_total).toBe(0);
    expect(await (await fetch(session.url as string)).text()).toContain(
      '14 days free, then $29.99 per month',
    );
    await payOnPage(session.url as string);
    const completed = endpoint.received[0]?.event.data.object as Stripe.Checkout.Session;
    expect(completed.payment_status).toBe('no_payment_required');
    const invoice = endpoint.received[1]?.event.data.object as Stripe.Invoice;
    expect(invoice.amount_paid).toBe(0);
    expect(await stripe.subscriptions.retrieve(completed.subscription as string)).toMatchObject({
      status: 'trialing',
    });
  });

  it('refuses what Stripe refuses with its 400, naming the parameter, and another key with 401', async () => {
    const refused = (params: Stripe.Checkout.SessionCreateParams) =>
      stripe.checkout.sessions.create(params).then(
        () => undefined,
        (error: Stripe.errors.StripeError) => ({
          status: error.statusCode,
          type: error.type,
          param: error.param,
        }),
      );
    expect(await refused({ line_items: [proPlan()] } as never)).toEqual({
      status: 400,
      type: 'StripeInvalidRequestError',
      param: 'mode',
    });
    expect(await refused({ mode: 'payment' })).toMatchObject({ param: 'line_items' });
    expect(
      await refused({ mode: 'subscription', line_items: [proPlan()], success_url: success }),
    ).toMatchObject({ param: 'line_items' });
    expect(
      await refused({
        mode: 'payment',
        line_items: [{ price_data: { currency: 'usd', product_data: { name: 'x' } } }],
      }),
    ).toMatchObject({ param: 'line_items[0][price_data][unit_amount]' });
    expect(
      await refused({ mode: 'payment', line_items: [{ price: 'price_nope', quantity: 1 }] }),
    ).toMatchObject({ param: 'line_items[0][price]' });
    expect(
      await refused({ mode: 'payment', line_items: [proPlan()], success_url: 'not a url' }),
    ).toMatchObject({ param: 'success_url' });

    const stranger = new Stripe('sk_test_someone_else', {
      host: new URL(dev.url).hostname,
      port: Number(new URL(dev.url).port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(
      stranger.checkout.sessions.create({ mode: 'payment', line_items: [proPlan()] }),
    ).rejects.toMatchObject({ statusCode: 401 });
    expect(dev.stripe.sessions()).toEqual([]);
  });

  it('answers 404 for an unknown session page and refuses a pay form posted from another site', async () => {
    expect((await fetch(`${dev.url}/c/pay/cs_test_nope`)).status).toBe(404);
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [proPlan()],
    });
    const crossSite = await fetch(session.url as string, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: new URLSearchParams({ email: 'x@example.com' }),
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: 'open' });
  });
});

describe('a data file', () => {
  it('keeps paid and open sessions and their events across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devserver-sessions-'));
    const dataFile = join(dir, 'data.json');
    const options = { dataFile, stripe: { webhookUrl: endpoint.url, webhookSecret: secret } };
    try {
      const first = await startDevServer(options);
      const client = new Stripe(first.stripe.secretKey, {
        host: '127.0.0.1',
        port: Number(new URL(first.url).port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      const paid = await client.checkout.sessions.create({
        mode: 'payment',
        line_items: [proPlan()],
      });
      const open = await client.checkout.sessions.create({
        mode: 'payment',
        line_items: [proPlan()],
      });
      await fetch(paid.url as string, {
        method: 'POST',
        body: new URLSearchParams({ email: 'a@b.example' }),
      });
      await first.stripe.settled();
      await first.close();

      const second = await startDevServer(options);
      try {
        expect(second.stripe.retrieve(paid.id)).toMatchObject({ status: 'complete' });
        expect(second.stripe.events().map((e) => [e.event.type, e.link_id, e.status])).toEqual([
          ['checkout.session.completed', null, 'delivered'],
        ]);
        // The open one can still be paid: what it sells was kept too.
        const page = await fetch(`${second.url}/c/pay/${open.id}`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Pro plan');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
