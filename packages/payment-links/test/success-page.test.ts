import type { PaymentInput } from '@datafast-checkout/core';
import {
  checkoutSession,
  otherVisitor,
  startFlakyProxy,
  stripeEvent,
  subscriptionSession,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { onPaymentSucceeded } from '../src/index.js';
import { stripeCheckoutSession, stripeWebhook } from '../src/stripe/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { signedRequest, suiteStripeApi } from './helpers/stripe.js';

const context = suiteDevServer();
const api = suiteStripeApi();

const shown: Array<PaymentInput | null> = [];
const errors: unknown[] = [];
function successPage() {
  return onPaymentSucceeded(
    stripeCheckoutSession(api.stripe),
    (_request, payment) => {
      shown.push(payment);
      return new Response(payment ? `Thanks for ${payment.amount}` : 'Thanks!');
    },
    { datafast: context.client, onError: (error) => errors.push(error) },
  );
}
const visit = (sessionId: string, cookieVisitor?: string) =>
  successPage()(
    new Request(`https://shop.example/success?session_id=${sessionId}`, {
      headers: cookieVisitor ? { cookie: `datafast_visitor_id=${cookieVisitor}` } : {},
    }),
  );

describe('the Stripe success page (stripeCheckoutSession + onPaymentSucceeded)', () => {
  it('retrieves the session with the client and reports it, attributed by the cookie when the session carries no visitor', async () => {
    const session = checkoutSession();
    api.standIn.addSession(session as { id: string });
    const response = await visit(session.id as string, visitor);
    expect(await response.text()).toBe('Thanks for 29.99');
    expect(await context.dev.waitForPayment(session.payment_intent as string)).toMatchObject({
      amount: 29.99,
      datafast_visitor_id: visitor,
      email: 'ada@example.com',
    });
    expect(api.standIn.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v1/checkout/sessions/${session.id}`,
      authorization: 'Bearer sk_test_stand_in',
    });
  });

  it('prefers the visitor the session carries (the device that paid may differ)', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    api.standIn.addSession(session as { id: string });
    await visit(session.id as string, otherVisitor);
    expect(await context.dev.waitForPayment(session.payment_intent as string)).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it('records reloads and the webhook together once, in either order, with one transaction id', async () => {
    const webhook = stripeWebhook({
      secret: webhookSecret,
      stripe: api.stripe,
      datafast: context.client,
    });
    const first = subscriptionSession({ client_reference_id: visitor });
    const second = checkoutSession();
    api.standIn.addSession(first as { id: string });
    api.standIn.addSession(second as { id: string });
    // Success page first, reloaded, then the webhook.
    for (let i = 0; i < 3; i++) await visit(first.id as string, otherVisitor);
    await context.client.flush(5000);
    await webhook(
      signedRequest('https://shop.example/wh', stripeEvent('checkout.session.completed', first)),
    );
    // Webhook first, then the page. This session carries no visitor, so the webhook reports it
    // unattributed and the page's cookie cannot change a recorded payment: decorate the links.
    await webhook(
      signedRequest('https://shop.example/wh', stripeEvent('checkout.session.completed', second)),
    );
    await visit(second.id as string, visitor);
    await visit(second.id as string, visitor);
    await context.client.flush(5000);
    expect(context.dev.payments().map((p) => [p.transaction_id, p.datafast_visitor_id])).toEqual([
      [first.invoice, visitor],
      [second.payment_intent, undefined],
    ]);
  });

  it('reports nothing for an unpaid session, an unknown id, or no id, and still shows the page', async () => {
    const unpaid = checkoutSession({ payment_status: 'unpaid' });
    api.standIn.addSession(unpaid as { id: string });
    const before = api.standIn.requests.length;
    shown.length = 0;
    await visit(unpaid.id as string, visitor);
    await visit('cs_test_unknown', visitor);
    const plain = await successPage()(new Request('https://shop.example/success'));
    const odd = await successPage()(
      new Request('https://shop.example/success?session_id=../../v1/customers'),
    );
    expect([plain.status, odd.status]).toEqual([200, 200]);
    expect(shown).toEqual([null, null, null, null]);
    // Two lookups (unpaid, unknown); a missing or malformed id never reaches Stripe.
    expect(api.standIn.requests.length - before).toBe(2);
    await context.client.flush(5000);
    expect(context.dev.requests()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps the page up when Stripe is down, and reports the error', async () => {
    const session = checkoutSession();
    api.standIn.addSession(session as { id: string });
    api.standIn.failNext(1);
    errors.length = 0;
    const response = await visit(session.id as string, visitor);
    expect([response.status, await response.text()]).toEqual([200, 'Thanks!']);
    expect(errors).toHaveLength(1);
  });

  it('shows the page without the payment when Stripe does not answer within 8 s, and the webhook still reports it', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    api.standIn.addSession(session as { id: string });
    const unanswering = await startFlakyProxy(api.standIn.url);
    unanswering.failNext(1, { hang: true });
    // The real client, with its own defaults (80 s timeout, retries) but for the host.
    const stripe = new Stripe('sk_test_stand_in', {
      host: '127.0.0.1',
      port: unanswering.port,
      protocol: 'http',
    });
    const pageErrors: unknown[] = [];
    const page = onPaymentSucceeded(
      stripeCheckoutSession(stripe),
      (_request, payment) => new Response(payment ? `Paid ${payment.amount}` : 'Thanks!'),
      { datafast: context.client, onError: (error) => pageErrors.push(error) },
    );
    try {
      const response = await page(
        new Request(`https://shop.example/success?session_id=${session.id}`),
      );
      expect([response.status, await response.text()]).toEqual([200, 'Thanks!']);
      expect(String(pageErrors[0])).toContain('did not answer within 8000 ms');
      expect(unanswering.failed).toBe(1);
      await context.client.flush(5000);
      expect(context.dev.payments()).toEqual([]);
    } finally {
      await unanswering.close();
    }
    const webhook = stripeWebhook({ secret: webhookSecret, datafast: context.client });
    const url = 'https://shop.example/api/webhooks/stripe';
    expect(
      (await webhook(signedRequest(url, stripeEvent('checkout.session.completed', session))))
        .status,
    ).toBe(200);
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: session.payment_intent,
        datafast_visitor_id: visitor,
      }),
    ]);
  });
});
