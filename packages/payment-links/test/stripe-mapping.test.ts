// size: one case per Stripe event kind the README table lists (sessions, invoices, refunds, disputes).
import { createDatafast } from '@datafast-checkout/core';
import {
  checkoutSession,
  invoice,
  refund,
  refundedCharge,
  stripeDispute,
  stripeEvent,
  subscriptionSession,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import {
  mapStripeEvent,
  paymentFromCheckoutSession,
  type StripeEventMapping,
} from '../src/stripe/index.js';

// Validates without sending: every mapped payment must be one DataFast accepts.
const validator = createDatafast({ enabled: false, logger: { warn() {}, error() {} } });

function reports(mapping: StripeEventMapping) {
  if ('ignored' in mapping) throw new Error(`expected reports, got ignored: ${mapping.ignored}`);
  return mapping.reports;
}

async function only(type: string, object: Record<string, unknown>) {
  const [report, ...rest] = reports(mapStripeEvent(stripeEvent(type, object)));
  expect(rest).toEqual([]);
  await validator.payments.create(report?.payment as never);
  return report as NonNullable<typeof report>;
}

describe('checkout.session.completed', () => {
  it('reports a paid payment-link session by its PaymentIntent, with the customer and the carried visitor', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const report = await only('checkout.session.completed', session);
    expect(report).toEqual({
      payment: {
        amount: 29.99,
        currency: 'usd',
        transaction_id: session.payment_intent,
        customer_id: 'cus_test_ada',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        timestamp: new Date(1763900003 * 1000),
      },
      carriedVisitorId: visitor,
    });
  });

  it('reports nothing while an async payment is pending, then the same id on async_payment_succeeded', async () => {
    const pending = checkoutSession({ payment_status: 'unpaid' });
    expect(mapStripeEvent(stripeEvent('checkout.session.completed', pending))).toMatchObject({
      ignored: expect.stringContaining('not paid'),
    });
    const paid = { ...pending, payment_status: 'paid' };
    const report = await only('checkout.session.async_payment_succeeded', paid);
    expect(report.payment.transaction_id).toBe(pending.payment_intent);
  });

  it('ignores setup-mode and expired sessions', () => {
    expect(
      mapStripeEvent(
        stripeEvent(
          'checkout.session.completed',
          checkoutSession({
            mode: 'setup',
            payment_status: 'no_payment_required',
            amount_total: null,
          }),
        ),
      ),
    ).toHaveProperty('ignored');
    expect(paymentFromCheckoutSession(checkoutSession({ status: 'expired' }))).toBeNull();
    expect(
      paymentFromCheckoutSession(checkoutSession({ status: 'open', payment_status: 'unpaid' })),
    ).toBeNull();
  });

  it('prefers metadata set by the server over client_reference_id, and ignores a reference that is not a visitor id', async () => {
    const both = checkoutSession({
      client_reference_id: '6b1f9d4e-2c3a-4e5f-8a7b-9c0d1e2f3a4b',
      metadata: { datafast_visitor_id: visitor },
    });
    expect((await only('checkout.session.completed', both)).carriedVisitorId).toBe(visitor);
    const affiliate = checkoutSession({ client_reference_id: 'rewardful_abc-123' });
    expect((await only('checkout.session.completed', affiliate)).carriedVisitorId).toBeUndefined();
  });

  it("uses a subscription session's first invoice as the id, the one invoice.paid reports", async () => {
    const session = subscriptionSession({ client_reference_id: visitor });
    const fromSession = await only('checkout.session.completed', session);
    const first = invoice(
      { shape: 'basil', subscription: session.subscription as string },
      { id: session.invoice },
    );
    const fromInvoice = await only('invoice.paid', first);
    expect(fromSession.payment.transaction_id).toBe(session.invoice);
    expect(fromInvoice.payment.transaction_id).toBe(session.invoice);
    expect(fromInvoice.payment.renewal).toBeUndefined();
    // The payment link's visitor lives on the session only: the invoice says where to look.
    expect(fromInvoice.findVisitor).toEqual({ subscription: session.subscription });
  });

  it('falls back to the session id when a session has neither invoice nor PaymentIntent (a free one-off)', async () => {
    const session = checkoutSession({
      payment_intent: null,
      amount_total: 0,
      amount_subtotal: 0,
      payment_status: 'no_payment_required',
    });
    const report = await only('checkout.session.completed', session);
    expect(report.payment).toMatchObject({
      transaction_id: session.id,
      amount: 0,
      is_free_trial: false,
    });
  });
});

describe('trials and 100%-off purchases', () => {
  it('reports a trial as amount 0 with is_free_trial true (session and first invoice)', async () => {
    const session = subscriptionSession({
      amount_total: 0,
      amount_subtotal: 0,
      payment_status: 'paid',
    });
    expect((await only('checkout.session.completed', session)).payment).toMatchObject({
      amount: 0,
      is_free_trial: true,
    });
    const first = invoice(
      { shape: 'basil' },
      { amount_paid: 0, amount_due: 0, subtotal: 0, total: 0 },
    );
    expect((await only('invoice.paid', first)).payment).toMatchObject({
      amount: 0,
      is_free_trial: true,
    });
  });

  it('reports a 100% coupon as amount 0 with is_free_trial false (session and first invoice)', async () => {
    const session = subscriptionSession({
      amount_total: 0,
      total_details: { amount_discount: 2999, amount_shipping: 0, amount_tax: 0 },
      payment_status: 'no_payment_required',
    });
    expect((await only('checkout.session.completed', session)).payment).toMatchObject({
      amount: 0,
      is_free_trial: false,
    });
    const oneOff = checkoutSession({
      amount_total: 0,
      payment_intent: null,
      total_details: { amount_discount: 2999, amount_shipping: 0, amount_tax: 0 },
      payment_status: 'no_payment_required',
    });
    expect((await only('checkout.session.completed', oneOff)).payment).toMatchObject({
      amount: 0,
      is_free_trial: false,
    });
    const first = invoice(
      { shape: 'legacy' },
      {
        amount_paid: 0,
        amount_due: 0,
        total: 0,
        total_discount_amounts: [{ amount: 2999, discount: 'di_1' }],
      },
    );
    expect((await only('invoice.paid', first)).payment).toMatchObject({
      amount: 0,
      is_free_trial: false,
    });
  });

  it('reports nothing for other zero-amount invoices (a free renewal, a zero proration)', () => {
    for (const billing_reason of ['subscription_cycle', 'subscription_update', 'manual']) {
      const zero = invoice({ shape: 'basil' }, { billing_reason, amount_paid: 0, total: 0 });
      expect(mapStripeEvent(stripeEvent('invoice.paid', zero))).toHaveProperty('ignored');
    }
  });
});

describe('invoice.paid', () => {
  it.each(['basil', 'legacy'] as const)(
    'reads the subscription and its metadata from the %s invoice shape',
    async (shape) => {
      const paid = invoice({
        shape,
        subscription: 'sub_test_1',
        subscriptionMetadata: { datafast_visitor_id: visitor },
      });
      const report = await only('invoice.paid', paid);
      expect(report).toEqual({
        payment: {
          amount: 29.99,
          currency: 'usd',
          transaction_id: paid.id,
          customer_id: 'cus_test_ada',
          email: 'ada@example.com',
          name: 'Ada Lovelace',
          timestamp: new Date(1763900002 * 1000),
        },
        carriedVisitorId: visitor,
      });
    },
  );

  it('takes a subscription’s later invoices for renewals and names the charge the webhook checks', async () => {
    for (const billing_reason of ['subscription_cycle', 'subscription_update']) {
      const later = invoice({ shape: 'basil', subscription: 'sub_1' }, { billing_reason });
      const report = await only('invoice.paid', later);
      expect(report.payment.renewal).toBe(true);
      expect(report.subscriptionCharge).toEqual({
        subscription: 'sub_1',
        charge: later.id,
        at: (later.created as number) * 1000,
      });
    }
    for (const billing_reason of ['subscription_create', 'manual']) {
      const other = invoice(
        { shape: 'basil' },
        billing_reason === 'manual' ? { billing_reason, parent: null } : { billing_reason },
      );
      const report = await only('invoice.paid', other);
      expect([report.payment.renewal, report.subscriptionCharge]).toEqual([undefined, undefined]);
    }
  });

  it('reports an invoice outside subscriptions without looking for a session', async () => {
    const manual = invoice({ shape: 'basil' }, { billing_reason: 'manual', parent: null });
    const report = await only('invoice.paid', manual);
    expect(report.findVisitor).toBeUndefined();
    expect(report.payment.transaction_id).toBe(manual.id);
  });
});

describe('amounts by Stripe’s currency table', () => {
  it.each([
    ['usd', 2999, 29.99],
    ['eur', 5, 0.05],
    ['jpy', 5000, 5000],
    ['krw', 15000, 15000],
    ['kwd', 1500, 1.5],
    ['bhd', 1234, 1.234],
    ['isk', 50000, 500],
    ['ugx', 70000, 700],
  ])('%s %i is %d', async (currency, minor, major) => {
    const session = checkoutSession({ currency, amount_total: minor, amount_subtotal: minor });
    expect((await only('checkout.session.completed', session)).payment).toMatchObject({
      amount: major,
      currency,
    });
    const paid = invoice({ shape: 'basil' }, { currency, amount_paid: minor });
    expect((await only('invoice.paid', paid)).payment.amount).toBe(major);
    const refunded = refund({ currency, amount: minor });
    expect((await only('refund.created', refunded)).payment.amount).toBe(major);
  });
});

describe('refunds', () => {
  it('reports a succeeded refund as its own record: refund id, refund amount, refunded', async () => {
    const full = refund({ amount: 2999 });
    const report = await only('refund.created', full);
    expect(report).toEqual({
      payment: {
        amount: 29.99,
        currency: 'usd',
        transaction_id: full.id,
        refunded: true,
        timestamp: new Date(1763990000 * 1000),
      },
      findVisitor: { paymentIntent: full.payment_intent },
    });
  });

  it('waits for a pending refund to succeed (refund.updated), and never reports a failed one', async () => {
    const pending = refund({ status: 'pending' });
    expect(mapStripeEvent(stripeEvent('refund.created', pending))).toHaveProperty('ignored');
    expect(
      mapStripeEvent(stripeEvent('refund.updated', { ...pending, status: 'failed' })),
    ).toHaveProperty('ignored');
    const done = await only('refund.updated', { ...pending, status: 'succeeded' });
    expect(done.payment).toMatchObject({ transaction_id: pending.id, refunded: true });
  });

  it('reports partial refunds each once, by their own ids', async () => {
    const payment = 'pi_test_partial';
    const first = await only('refund.created', refund({ amount: 1000, payment_intent: payment }));
    const second = await only('refund.created', refund({ amount: 500, payment_intent: payment }));
    expect(first.payment.transaction_id).not.toBe(second.payment.transaction_id);
    expect([first.payment.amount, second.payment.amount]).toEqual([10, 5]);
  });

  it('reads the visitor from refund or charge metadata when present', async () => {
    const carried = await only(
      'refund.created',
      refund({ metadata: { datafast_visitor_id: visitor } }),
    );
    expect(carried.carriedVisitorId).toBe(visitor);
    expect(carried.findVisitor).toBeUndefined();
  });

  it('charge.refunded (older endpoints) reports each succeeded listed refund with the same ids refund.* uses', () => {
    const done = refund({ amount: 1000 });
    const pending = refund({ amount: 500, status: 'pending' });
    const charge = refundedCharge([done, pending], { metadata: { datafast_visitor_id: visitor } });
    const mapped = reports(mapStripeEvent(stripeEvent('charge.refunded', charge)));
    expect(mapped).toHaveLength(1);
    expect(mapped[0]).toMatchObject({
      payment: { transaction_id: done.id, amount: 10, refunded: true, customer_id: 'cus_test_ada' },
      carriedVisitorId: visitor,
    });
    const [fromRefundEvent] = reports(mapStripeEvent(stripeEvent('refund.created', done)));
    expect(fromRefundEvent?.payment.transaction_id).toBe(done.id);
    // Newer API versions do not embed the list: nothing to report from the charge.
    const bare = refundedCharge([], { refunds: undefined });
    expect(mapStripeEvent(stripeEvent('charge.refunded', bare))).toHaveProperty('ignored');
  });
});

describe('other events', () => {
  it('ignores events that are not payments, and events without an object', () => {
    expect(
      mapStripeEvent(stripeEvent('customer.created', { id: 'cus_1', object: 'customer' })),
    ).toEqual({
      ignored: 'customer.created is not a payment event',
    });
    expect(mapStripeEvent({ type: 'invoice.paid', data: {} })).toHaveProperty('ignored');
    expect(mapStripeEvent({})).toHaveProperty('ignored');
  });

  it('ignores objects missing what a payment needs instead of throwing', () => {
    expect(
      mapStripeEvent(stripeEvent('invoice.paid', { id: 'in_1', object: 'invoice' })),
    ).toHaveProperty('ignored');
    expect(
      mapStripeEvent(stripeEvent('checkout.session.completed', { id: 'cs_1' })),
    ).toHaveProperty('ignored');
  });
});

describe('charge.dispute.*', () => {
  it('reports a lost dispute once, as a refund of the disputed amount under the dispute id, when it closes', async () => {
    const lost = stripeDispute({ amount: 1500, currency: 'jpy' });
    expect(await only('charge.dispute.closed', lost)).toEqual({
      payment: {
        amount: 1500,
        currency: 'jpy',
        transaction_id: lost.id,
        refunded: true,
        timestamp: new Date(1763900003 * 1000),
      },
      findVisitor: { paymentIntent: lost.payment_intent },
    });
  });

  it('counts nothing for a won dispute, an inquiry, or the funds moving while it is open', () => {
    for (const status of ['won', 'warning_closed']) {
      expect(
        mapStripeEvent(stripeEvent('charge.dispute.closed', stripeDispute({ status }))),
      ).toEqual({ ignored: 'charge.dispute.closed: the dispute was not lost (or has no amount)' });
    }
    for (const type of [
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.funds_reinstated',
    ]) {
      const open = stripeDispute({ status: 'needs_response' });
      expect(mapStripeEvent(stripeEvent(type, open))).toEqual({
        ignored: expect.stringContaining('when charge.dispute.closed says it was lost'),
      });
    }
  });
});
