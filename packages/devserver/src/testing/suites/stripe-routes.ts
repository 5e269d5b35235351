import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../index.js';
import { stripeSignature } from '../../stripe/webhooks.js';
import { launchChromium } from '../chromium.js';
import { type ExampleApp, type RunningExample, resolveExample, startExample } from '../example.js';
import {
  checkoutSession,
  invoice,
  payloadOf,
  stripeEvent,
  subscriptionSession,
} from '../stripe-fixtures.js';
import { type StripeStandIn, startStripeStandIn } from '../stripe-stand-in.js';
import { trackerVisitor } from '../visitor-flows.js';

/** What {@link describeStripeRoutes} started, for a file's own tests beside the suite's. */
export interface StripeRoutesSuite {
  readonly dev: DevServer;
  /** The local Stripe API the configured app reads (`STRIPE_API_BASE`). */
  readonly standIn: StripeStandIn;
  /** The app with every Stripe variable set. */
  readonly app: RunningExample;
  /** The app with none of them: its Stripe routes answer "not configured". */
  readonly bare: RunningExample;
}

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const webhookSecret = 'whsec_test_example';
const paymentLink = 'https://buy.stripe.com/test_example_link';

/**
 * Stripe payment links against the app as users run it: signed webhook events (each counted
 * once across redeliveries, a bad signature refused, an invoice before its session), the success
 * page (its session looked up at `STRIPE_API_BASE`, a local stand-in for Stripe's API; reported
 * once across reloads and with the webhook), the payment-link button in Chromium, and "not
 * configured" when the variables are unset. Events are Stripe's shapes, signed with Stripe's
 * scheme (`Stripe-Signature: t=…,v1=…`).
 *
 * Registers its hooks and tests where it is called; two instances of the app (configured, and
 * without the Stripe variables) serve them all.
 *
 * @example
 * describeStripeRoutes({ command: process.execPath, args: ['server.js'], cwd: appDir })
 */
export function describeStripeRoutes(example: ExampleApp): StripeRoutesSuite {
  const { routes } = resolveExample(example);
  let dev: DevServer;
  let standIn: StripeStandIn;
  let app: RunningExample;
  let bare: RunningExample;

  beforeAll(async () => {
    [dev, standIn] = await Promise.all([startDevServer(), startStripeStandIn()]);
    const datafast = { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url };
    [app, bare] = await Promise.all([
      startExample(example, {
        env: {
          ...datafast,
          DATAFAST_SCRIPT_URL: undefined,
          STRIPE_SECRET_KEY: 'sk_test_example',
          STRIPE_WEBHOOK_SECRET: webhookSecret,
          STRIPE_API_BASE: standIn.url,
          STRIPE_PAYMENT_LINK_URL: paymentLink,
        },
      }),
      startExample(example, {
        env: {
          ...datafast,
          DATAFAST_SCRIPT_URL: undefined,
          STRIPE_SECRET_KEY: undefined,
          STRIPE_WEBHOOK_SECRET: undefined,
          STRIPE_API_BASE: undefined,
          STRIPE_PAYMENT_LINK_URL: undefined,
        },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([app?.stop(), bare?.stop()]);
    await Promise.all([dev?.close(), standIn?.close()]);
  });
  beforeEach(() => dev.reset());

  /**
   * POSTs an event to the webhook as Stripe does: its JSON, signed with Stripe's scheme by the
   * devserver's signer (the one its stand-in checkout uses, which this package's tests verify with
   * the real `stripe` package's `constructEventAsync`).
   */
  function deliver(target: RunningExample, event: object, secret = webhookSecret) {
    const payload = payloadOf(event as Record<string, unknown>);
    return fetch(`${target.url}${routes.webhook}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': stripeSignature(payload, secret),
      },
      body: payload,
    });
  }
  const visit = (sessionId: string) =>
    fetch(`${app.url}${routes.success}?session_id=${sessionId}`, {
      headers: { cookie: `datafast_visitor_id=${visitor}` },
    });
  const recorded = () =>
    dev.payments().map((p) => [p.transaction_id, p.datafast_visitor_id ?? null]);

  describe(`POST ${routes.webhook}`, () => {
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
      const completed = stripeEvent('checkout.session.completed', session);
      expect((await deliver(app, completed)).status).toBe(200);
      expect(recorded()).toEqual([[session.invoice, visitor]]);
    });
  });

  describe(`GET ${routes.success}`, () => {
    it('reports the payment once across reloads, and once with the webhook', async () => {
      const session = checkoutSession();
      standIn.addSession(session);
      for (let i = 0; i < 3; i++) {
        expect((await visit(session.id)).status, app.output()).toBe(200);
      }
      await dev.waitForPayment(session.payment_intent as string);
      const completed = stripeEvent('checkout.session.completed', session);
      expect((await deliver(app, completed)).status).toBe(200);
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
        await page.goto(`${app.url}${routes.page}`);
        // The devserver's stand-in tracker sets the cookie, as DataFast's script does.
        const cookie = await trackerVisitor(page, app.url);
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
          .toBe(`${paymentLink}?client_reference_id=${cookie}`);
      } finally {
        await browser.dispose();
      }
    });

    it('links a placeholder when STRIPE_PAYMENT_LINK_URL is unset', async () => {
      const html = await (await fetch(`${bare.url}${routes.page}`)).text();
      expect(html).toContain('https://buy.stripe.com/');
      expect(html).not.toContain(paymentLink);
    });
  });

  it('answers "not configured" on the Stripe routes when the variables are unset, and the rest works', async () => {
    const event = stripeEvent('checkout.session.completed', checkoutSession());
    const webhook = await deliver(bare, event);
    expect(webhook.status).toBe(503);
    expect(await webhook.text()).toMatch(/not configured.*STRIPE_WEBHOOK_SECRET/);
    const success = await fetch(`${bare.url}${routes.success}?session_id=cs_test_1`);
    expect(success.status).toBe(503);
    expect(await success.text()).toMatch(/not configured.*STRIPE_SECRET_KEY/);
    const checkout = await fetch(`${bare.url}${routes.checkout}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: JSON.stringify({ amount: 29.99, currency: 'USD' }),
    });
    expect(checkout.status).toBe(200);
    const { transaction_id } = (await checkout.json()) as { transaction_id: string };
    expect((await dev.waitForPayment(transaction_id)).datafast_visitor_id).toBe(visitor);
  });

  return {
    get dev() {
      return dev;
    },
    get standIn() {
      return standIn;
    },
    get app() {
      return app;
    },
    get bare() {
      return bare;
    },
  };
}
