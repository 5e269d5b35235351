import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  checkoutSession,
  invoice,
  launchChromium,
  payloadOf,
  type RunningApp,
  type StripeStandIn,
  startApp,
  startStripeStandIn,
  stripeEvent,
  subscriptionSession,
} from '@datafast-checkout/devserver/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Stripe payment links, against the built app started with `next start`: signed webhooks,
// the success page (its session looked up at STRIPE_API_BASE, a local stand-in for Stripe's
// API), the payment-link button in Chromium, and "not configured" when the variables are unset.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const webhookSecret = 'whsec_test_example';
const paymentLink = 'https://buy.stripe.com/test_example_link';

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const start = (env: Record<string, string | undefined>) =>
  startApp({
    command: process.execPath,
    args: [nextBin, 'start'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { DATAFAST_SCRIPT_URL: undefined, NODE_ENV: 'production', ...env },
  });

let dev: DevServer;
let standIn: StripeStandIn;
let app: RunningApp;
let bare: RunningApp;

beforeAll(async () => {
  [dev, standIn] = await Promise.all([startDevServer(), startStripeStandIn()]);
  const datafast = { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url };
  [app, bare] = await Promise.all([
    start({
      ...datafast,
      STRIPE_SECRET_KEY: 'sk_test_example',
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: standIn.url,
      STRIPE_PAYMENT_LINK_URL: paymentLink,
    }),
    start({
      ...datafast,
      STRIPE_SECRET_KEY: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
      STRIPE_API_BASE: undefined,
      STRIPE_PAYMENT_LINK_URL: undefined,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), bare?.stop()]);
  await Promise.all([dev?.close(), standIn?.close()]);
});
beforeEach(() => dev.reset());

/** POSTs an event to the webhook as Stripe does: its JSON, signed by the real `stripe` package. */
function deliver(target: RunningApp, event: Record<string, unknown>, secret = webhookSecret) {
  const payload = payloadOf(event);
  return fetch(`${target.url}/api/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
    body: payload,
  });
}
const visit = (sessionId: string) =>
  fetch(`${app.url}/success?session_id=${sessionId}`, {
    headers: { cookie: `datafast_visitor_id=${visitor}` },
  });
const recorded = () => dev.payments().map((p) => [p.transaction_id, p.datafast_visitor_id ?? null]);

describe('POST /api/webhooks/stripe', () => {
  it('records a signed checkout.session.completed once, however often Stripe redelivers it', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const event = stripeEvent('checkout.session.completed', session);
    for (let i = 0; i < 3; i++) {
      expect((await deliver(app, event)).status, app.output()).toBe(200);
    }
    expect(await dev.waitForPayment(session.payment_intent as string)).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
      email: 'ada@example.com',
    });
    expect(recorded()).toEqual([[session.payment_intent, visitor]]);
  });

  it('refuses a bad signature with 400 and records nothing', async () => {
    const event = stripeEvent('checkout.session.completed', checkoutSession());
    expect((await deliver(app, event, 'whsec_wrong')).status).toBe(400);
    expect(dev.requests()).toEqual([]);
  });

  it('counts a subscription once, attributed, when its invoice arrives before its session', async () => {
    const session = subscriptionSession({ client_reference_id: visitor });
    standIn.addSession(session);
    const first = invoice(
      { shape: 'basil', subscription: session.subscription as string },
      { id: session.invoice },
    );
    expect((await deliver(app, stripeEvent('invoice.paid', first))).status).toBe(200);
    expect((await deliver(app, stripeEvent('checkout.session.completed', session))).status).toBe(
      200,
    );
    expect(recorded()).toEqual([[session.invoice, visitor]]);
  });
});

describe('GET /success', () => {
  it('reports the payment once across reloads, and once with the webhook', async () => {
    const session = checkoutSession();
    standIn.addSession(session);
    for (let i = 0; i < 3; i++) {
      expect((await visit(session.id)).status, app.output()).toBe(200);
    }
    await dev.waitForPayment(session.payment_intent as string);
    expect((await deliver(app, stripeEvent('checkout.session.completed', session))).status).toBe(
      200,
    );
    expect(recorded()).toEqual([[session.payment_intent, visitor]]);
    expect(standIn.requests.at(-1)).toMatchObject({
      path: `/v1/checkout/sessions/${session.id}`,
      authorization: 'Bearer sk_test_example',
    });
  });

  it('shows the page for an unpaid or unknown session without recording anything', async () => {
    const session = checkoutSession({ payment_status: 'unpaid' });
    standIn.addSession(session);
    expect((await visit(session.id)).status).toBe(200);
    expect((await visit('cs_test_unknown')).status).toBe(200);
    expect(dev.requests()).toEqual([]);
  });
});

describe('the payment-link button', () => {
  it('carries the visitor the tracker set, in Chromium', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      // The devserver's stand-in tracker sets the cookie, as DataFast's script does.
      await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
      const cookie = (await browser.cookies(app.url)).find((c) => c.name === 'datafast_visitor_id');
      const link = page.locator(`a[href^="${paymentLink}"]`);
      // Decorated at once when the cookie was there first, else when the buyer points at it.
      await expect
        .poll(
          async () => {
            await page.mouse.move(0, 0);
            await link.hover();
            return link.getAttribute('href');
          },
          { timeout: 15_000 },
        )
        .toBe(`${paymentLink}?client_reference_id=${cookie?.value}`);
    } finally {
      await browser.dispose();
    }
  });

  it('links a placeholder when STRIPE_PAYMENT_LINK_URL is unset', async () => {
    const html = await (await fetch(bare.url)).text();
    expect(html).toContain('https://buy.stripe.com/');
    expect(html).not.toContain(paymentLink);
  });
});

it('answers "not configured" on the Stripe routes when the variables are unset, and the rest works', async () => {
  const webhook = await deliver(bare, stripeEvent('checkout.session.completed', checkoutSession()));
  expect(webhook.status).toBe(503);
  expect(await webhook.text()).toMatch(/not configured.*STRIPE_WEBHOOK_SECRET/);
  const success = await fetch(`${bare.url}/success?session_id=cs_test_1`);
  expect(success.status).toBe(503);
  expect(await success.text()).toMatch(/not configured.*STRIPE_SECRET_KEY/);
  const checkout = await fetch(`${bare.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
    body: JSON.stringify({ amount: 29.99, currency: 'USD' }),
  });
  expect(checkout.status).toBe(200);
  const { transaction_id } = (await checkout.json()) as { transaction_id: string };
  expect((await dev.waitForPayment(transaction_id)).datafast_visitor_id).toBe(visitor);
});
