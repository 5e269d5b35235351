import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { stripeClient, VISITOR } from './helpers.js';
import { startWebhookReceiver } from './webhook-receiver.js';

// The hosted checkout of a payment link, over HTTP as a browser uses it (GET the page, POST its
// form), the events it signs (verified by the real `stripe` package), and the /v1 API a
// `stripe` client pointed at the devserver reads.

const secret = 'whsec_checkout_test_secret';
let dev: DevServer;
let endpoint: Awaited<ReturnType<typeof startWebhookReceiver>>;
let stripe: Stripe;

const links = {
  once: { id: 'plink_once', name: 'Pro plan', unitAmount: 2999, currency: 'usd' },
  monthly: {
    id: 'plink_monthly',
    name: 'Team',
    unitAmount: 900,
    currency: 'eur',
    interval: 'month',
  },
  trial: {
    id: 'plink_trial',
    name: 'Trial',
    unitAmount: 900,
    currency: 'usd',
    interval: 'month',
    trialDays: 14,
  },
  sepa: {
    id: 'plink_sepa',
    name: 'Debit',
    unitAmount: 5000,
    currency: 'eur',
    paymentMethod: 'sepa_debit',
  },
} as const;

beforeAll(async () => {
  endpoint = await startWebhookReceiver(secret);
  dev = await startDevServer({
    stripe: {
      paymentLinks: Object.values(links).map((link) => ({
        ...link,
        webhookUrl: endpoint.url,
        webhookSecret: secret,
        successUrl: 'https://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
      })),
    },
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
  endpoint.answer(200);
});

/** Pays a link as its checkout page's form does; answers the redirect and the session id. */
async function pay(linkId: string, reference: string | null = VISITOR, email = 'ada@example.com') {
  const form = new URLSearchParams({ client_reference_id: reference ?? '', email, name: 'Ada' });
  const response = await fetch(`${dev.url}/buy/${linkId}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  const sessionId = new URL(location).searchParams.get('session_id') ?? '';
  await dev.stripe.settled();
  return { location, sessionId };
}

describe('the checkout page', () => {
  it('shows the product, the price and the visitor the link carries, marked as a stand-in', async () => {
    const page = await fetch(`${dev.url}/buy/plink_trial?client_reference_id=${VISITOR}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Trial');
    expect(html).toContain('14 days free, then $9.00 per month');
    expect(html).toContain(`client_reference_id=${VISITOR}`);
    expect(html).toMatch(/not Stripe/);
    expect(html).not.toContain(secret);
  });

  it('answers 404 for an unknown link and 403 for a form posted from another site', async () => {
    expect((await fetch(`${dev.url}/buy/plink_nope`)).status).toBe(404);
    const crossSite = await fetch(`${dev.url}/buy/plink_once`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: new URLSearchParams({ email: 'x@example.com' }),
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect(dev.stripe.sessions()).toEqual([]);
  });
});

describe('paying a one-time link', () => {
  it('creates a Checkout Session shaped like Stripe, signs checkout.session.completed and redirects', async () => {
    const { location, sessionId } = await pay('plink_once');
    expect(location).toBe(`https://shop.example/success?session_id=${sessionId}`);
    expect(sessionId).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(endpoint.types()).toEqual(['checkout.session.completed']);
    const [delivery] = endpoint.received;
    expect(delivery?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery?.contentType).toMatch(/^application\/json/);
    const session = delivery?.event.data.object as Stripe.Checkout.Session;
    expect(session).toMatchObject({
      id: sessionId,
      object: 'checkout.session',
      mode: 'payment',
      amount_total: 2999,
      currency: 'usd',
      payment_status: 'paid',
      status: 'complete',
      client_reference_id: VISITOR,
      payment_link: 'plink_once',
      customer_details: { email: 'ada@example.com', name: 'Ada' },
      invoice: null,
      subscription: null,
    });
    expect(session.payment_intent).toMatch(/^pi_/);
    expect(session.customer).toMatch(/^cus_/);

    // The success page's lookup, with a real client.
    expect(await stripe.checkout.sessions.retrieve(sessionId)).toMatchObject({
      id: sessionId,
      payment_status: 'paid',
    });
    const paymentIntent = await stripe.paymentIntents.retrieve(session.payment_intent as string);
    expect(paymentIntent).toMatchObject({ status: 'succeeded', amount: 2999 });
    const byPayment = await stripe.checkout.sessions.list({
      payment_intent: session.payment_intent as string,
      limit: 1,
    });
    expect(byPayment.data.map((s) => s.id)).toEqual([sessionId]);
  });

  it('keeps a session without client_reference_id when the link carries none or an invalid one', async () => {
    const { sessionId } = await pay('plink_once', null);
    const invalid = await pay('plink_once', 'not a valid ref!');
    expect(dev.stripe.retrieve(sessionId)?.client_reference_id).toBeNull();
    expect(dev.stripe.retrieve(invalid.sessionId)?.client_reference_id).toBeNull();
  });
});

describe('paying a monthly link', () => {
  it('starts a subscription: checkout.session.completed, then invoice.paid for its first invoice', async () => {
    const { sessionId } = await pay('plink_monthly');
    expect(endpoint.types()).toEqual(['checkout.session.completed', 'invoice.paid']);
    const session = endpoint.received[0]?.event.data.object as Stripe.Checkout.Session;
    const invoice = endpoint.received[1]?.event.data.object as unknown as Record<string, unknown>;
    expect(session).toMatchObject({
      id: sessionId,
      mode: 'subscription',
      amount_total: 900,
      payment_intent: null,
      payment_status: 'paid',
    });
    expect(session.subscription).toMatch(/^sub_/);
    expect(invoice).toMatchObject({
      id: session.invoice,
      billing_reason: 'subscription_create',
      amount_paid: 900,
      currency: 'eur',
      status: 'paid',
      parent: { subscription_details: { subscription: session.subscription } },
    });
    // What a webhook's visitor lookup reads: the session by subscription, the invoice's payment.
    const bySubscription = await stripe.checkout.sessions.list({
      subscription: session.subscription as string,
      limit: 1,
    });
    expect(bySubscription.data[0]?.client_reference_id).toBe(VISITOR);
    const byInvoice = await stripe.invoicePayments.list({ invoice: session.invoice as string });
    const paymentIntent = byInvoice.data[0]?.payment.payment_intent as string;
    expect(paymentIntent).toMatch(/^pi_/);
    const byPayment = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
      limit: 1,
      expand: ['data.invoice'],
    });
    expect(byPayment.data[0]?.invoice).toMatchObject({ id: session.invoice, object: 'invoice' });
  });

  it('starts a trial with a 0 first invoice and nothing to pay', async () => {
    const { sessionId } = await pay('plink_trial');
    expect(endpoint.types()).toEqual(['checkout.session.completed', 'invoice.paid']);
    expect(endpoint.received[0]?.event.data.object).toMatchObject({
      id: sessionId,
      amount_total: 0,
      payment_status: 'no_payment_required',
    });
    expect(endpoint.received[1]?.event.data.object).toMatchObject({
      amount_paid: 0,
      billing_reason: 'subscription_create',
    });
    const subscription = dev.stripe.retrieve(
      dev.stripe.retrieve(sessionId)?.subscription as string,
    );
    expect(subscription).toMatchObject({ status: 'trialing' });
  });
});

describe('an asynchronous payment method', () => {
  it('completes unpaid, then sends async_payment_succeeded once settled', async () => {
    const { sessionId } = await pay('plink_sepa');
    expect(endpoint.received[0]?.event).toMatchObject({
      type: 'checkout.session.completed',
      data: { object: { payment_status: 'unpaid' } },
    });
    const response = await fetch(`${dev.url}/__devserver/stripe/sessions/${sessionId}/settle`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    await dev.stripe.settled();
    expect(endpoint.received[1]?.event).toMatchObject({
      type: 'checkout.session.async_payment_succeeded',
      data: { object: { id: sessionId, payment_status: 'paid' } },
    });
    // Settled once: a second settle is a conflict.
    const again = await fetch(`${dev.url}/__devserver/stripe/sessions/${sessionId}/settle`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);
  });

  it('sends async_payment_failed when the debit fails', async () => {
    const { sessionId } = await pay('plink_sepa');
    await dev.stripe.settle(sessionId, 'failed');
    await dev.stripe.settled();
    expect(endpoint.types()).toEqual([
      'checkout.session.completed',
      'checkout.session.async_payment_failed',
    ]);
  });
});

describe('the /v1 API', () => {
  it("refuses another key with Stripe's 401 and answers unknown ids with resource_missing", async () => {
    const other = new Stripe('sk_test_someone_else', {
      host: new URL(dev.url).hostname,
      port: Number(new URL(dev.url).port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(other.checkout.sessions.retrieve('cs_test_x')).rejects.toMatchObject({
      statusCode: 401,
    });
    await expect(stripe.checkout.sessions.retrieve('cs_test_unknown')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    const post = await fetch(`${dev.url}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dev.stripe.secretKey}` },
    });
    expect(post.status).toBe(404);
    const unauthorized = await (await fetch(`${dev.url}/v1/checkout/sessions`)).text();
    expect(unauthorized).not.toContain(dev.stripe.secretKey);
  });
});
