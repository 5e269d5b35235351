import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from './app.js';
import { launchChromium } from './chromium.js';
import {
  checkoutSession,
  invoice,
  payloadOf,
  stripeEvent,
  subscriptionSession,
  visitor,
  webhookSecret,
} from './stripe-fixtures.js';
import { type StripeStandIn, startStripeStandIn } from './stripe-stand-in.js';

/** How one example is driven by {@link describeStripeExample}. */
export interface StripeExampleSuiteOptions {
  /** Starts the built example with this environment added (`PORT` is set for you). */
  start(env: Record<string, string | undefined>): Promise<RunningApp>;
  /** A real `Stripe-Signature` header: `stripe.webhooks.generateTestHeaderString({ payload, secret })`. */
  sign(payload: string, secret: string): string;
}

const paymentLink = 'https://buy.stripe.com/test_example_link';

/**
 * The Stripe contract every example answers (design.md): `POST /api/webhooks/stripe` with
 * signed events, `GET /success?session_id=` looked up at `STRIPE_API_BASE` (a local stand-in),
 * the payment-link button decorated in Chromium, and a clear "not configured" answer (503) when
 * the Stripe variables are unset, the rest of the app still working. One suite, three examples.
 *
 * @example
 * describeStripeExample({ start: (env) => startApp({ ..., env }), sign: (payload, secret) => Stripe.webhooks.generateTestHeaderString({ payload, secret }) })
 */
export function describeStripeExample(options: StripeExampleSuiteOptions): void {
  describe('Stripe payment links', () => {
    let dev: DevServer;
    let standIn: StripeStandIn;
    let app: RunningApp;
    let bare: RunningApp;

    beforeAll(async () => {
      dev = await startDevServer();
      standIn = await startStripeStandIn();
      const datafast = { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url };
      const unset = {
        STRIPE_SECRET_KEY: undefined,
        STRIPE_WEBHOOK_SECRET: undefined,
        STRIPE_API_BASE: undefined,
        STRIPE_PAYMENT_LINK_URL: undefined,
      };
      [app, bare] = await Promise.all([
        options.start({
          ...datafast,
          STRIPE_SECRET_KEY: 'sk_test_example',
          STRIPE_WEBHOOK_SECRET: webhookSecret,
          STRIPE_API_BASE: standIn.url,
          STRIPE_PAYMENT_LINK_URL: paymentLink,
        }),
        options.start({ ...datafast, ...unset }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([app?.stop(), bare?.stop()]);
      await Promise.all([dev?.close(), standIn?.close()]);
    });
    beforeEach(() => dev.reset());

    const deliver = (
      target: RunningApp,
      event: Record<string, unknown>,
      secret = webhookSecret,
    ) => {
      const payload = payloadOf(event);
      return fetch(`${target.url}/api/webhooks/stripe`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': options.sign(payload, secret),
        },
        body: payload,
      });
    };
    const visit = (sessionId: string, cookie = `datafast_visitor_id=${visitor}`) =>
      fetch(`${app.url}/success?session_id=${sessionId}`, { headers: { cookie } });
    const recorded = () =>
      dev.payments().map((p) => [p.transaction_id, p.datafast_visitor_id ?? null]);

    it('records a signed checkout.session.completed once, however often Stripe redelivers it', async () => {
      const session = checkoutSession({ client_reference_id: visitor });
      const event = stripeEvent('checkout.session.completed', session);
      for (let i = 0; i < 3; i++) {
        const response = await deliver(app, event);
        expect(response.status, app.output()).toBe(200);
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
      const response = await deliver(
        app,
        stripeEvent('checkout.session.completed', checkoutSession()),
        'whsec_wrong',
      );
      expect(response.status).toBe(400);
      expect(dev.requests()).toEqual([]);
    });

    it('counts a payment-link subscription once, attributed, when its invoice arrives before its session', async () => {
      const session = subscriptionSession({ client_reference_id: visitor });
      standIn.addSession(session as { id: string });
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

    it('reports the success page once across reloads, and together with the webhook', async () => {
      const session = checkoutSession();
      standIn.addSession(session as { id: string });
      for (let i = 0; i < 3; i++) {
        const response = await visit(session.id as string);
        expect(response.status, app.output()).toBe(200);
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

    it('shows the success page for an unpaid session without recording anything', async () => {
      const session = checkoutSession({ payment_status: 'unpaid' });
      standIn.addSession(session as { id: string });
      expect((await visit(session.id as string)).status).toBe(200);
      expect((await visit('cs_test_unknown')).status).toBe(200);
      expect(dev.requests()).toEqual([]);
    });

    it('answers "not configured" on the Stripe routes when the variables are unset, and the rest works', async () => {
      const webhook = await deliver(
        bare,
        stripeEvent('checkout.session.completed', checkoutSession()),
      );
      expect(webhook.status).toBe(503);
      expect(await webhook.text()).toMatch(/not configured.*STRIPE_WEBHOOK_SECRET/);
      const success = await fetch(`${bare.url}/success?session_id=cs_test_1`);
      expect(success.status).toBe(503);
      expect(await success.text()).toMatch(/not configured.*STRIPE_SECRET_KEY/);
      const page = await fetch(bare.url);
      expect(page.status).toBe(200);
      const checkout = await fetch(`${bare.url}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
        body: JSON.stringify({ amount: 29.99, currency: 'USD' }),
      });
      expect(checkout.status).toBe(200);
      const { transaction_id } = (await checkout.json()) as { transaction_id: string };
      expect((await dev.waitForPayment(transaction_id)).datafast_visitor_id).toBe(visitor);
    });

    it('decorates the payment-link button with the visitor the tracker set, in Chromium', async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(app.url);
        // The devserver's stand-in tracker sets the cookie, as DataFast's script does.
        await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
        const cookie = (await browser.cookies(app.url)).find(
          (c) => c.name === 'datafast_visitor_id',
        );
        const link = page.locator(`a[href^="${paymentLink}"]`);
        // Decorated at once when the cookie was there first, else when the buyer points at it;
        // pointed at again until the page's script has started (hydration takes a moment).
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

    it('shows a placeholder payment link when STRIPE_PAYMENT_LINK_URL is unset', async () => {
      const html = await (await fetch(bare.url)).text();
      expect(html).toContain('https://buy.stripe.com/');
      expect(html).not.toContain(paymentLink);
    });
  });
}
