/**
 * Stripe objects and events as Stripe sends them, for tests that sign them with the `stripe`
 * package: fixed values (a $29.99 card payment by Ada) on the builders the devserver's Stripe
 * stand-in uses (../stripe/objects.ts, which cites Stripe's pages), so fixtures and stand-in
 * share one model. Every field is in the endpoint's API version, so either era can be built.
 */

import {
  type Buyer,
  checkoutSessionObject,
  eventObject,
  invoiceObject,
  refundObject,
  type StripeObject,
} from '../stripe/objects.js';

type Json = Record<string, unknown>;

export type { StripeObject };

let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_test_${Date.now().toString(36)}${(counter++).toString(36)}`;

/** The fixtures' buyer and clock: fixed, so that snapshots and assertions stay readable. */
const ada: Buyer = {
  customer: 'cus_test_ada',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  country: 'FR',
};
const CREATED = 1763900000;

/**
 * A Checkout Session in payment mode, paid by card, from a payment link unless overridden.
 *
 * @example
 * const session = checkoutSession({ client_reference_id: visitorId }) // $29.99, paid
 */
export function checkoutSession(overrides: Json = {}): StripeObject {
  return {
    ...checkoutSessionObject({
      id: nextId('cs'),
      created: CREATED,
      mode: 'payment',
      amountTotal: 2999,
      currency: 'usd',
      buyer: ada,
      clientReferenceId: null,
      paymentIntent: nextId('pi'),
      subscription: null,
      invoice: null,
      paymentLink: 'plink_test_1',
      paymentStatus: 'paid',
      paymentMethodTypes: ['card'],
      successUrl: 'https://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
    }),
    ...overrides,
  };
}

/** A subscription-mode session: no PaymentIntent, the subscription's first invoice instead. */
export function subscriptionSession(overrides: Json = {}): StripeObject {
  return checkoutSession({
    mode: 'subscription',
    payment_intent: null,
    subscription: nextId('sub'),
    invoice: nextId('in'),
    ...overrides,
  });
}

/**
 * An invoice. `shape: 'basil'` (API 2025-03-31 and later) puts the subscription under
 * `parent.subscription_details`; `'legacy'` uses the top-level fields older endpoints still get.
 */
export function invoice(
  options: {
    shape: 'basil' | 'legacy';
    subscription?: string;
    subscriptionMetadata?: Record<string, string>;
  },
  overrides: Json = {},
): StripeObject {
  return {
    ...invoiceObject({
      id: nextId('in'),
      created: CREATED,
      shape: options.shape,
      subscription: options.subscription ?? nextId('sub'),
      subscriptionMetadata: options.subscriptionMetadata ?? {},
      billingReason: 'subscription_create',
      amount: 2999,
      currency: 'usd',
      buyer: ada,
      paid: true,
    }),
    ...overrides,
  };
}

/** A refund; `status: 'pending'` first for slow methods, then `succeeded`. */
export function refund(overrides: Json = {}): StripeObject {
  return {
    ...refundObject({
      id: nextId('re'),
      created: 1763990000,
      amount: 1000,
      currency: 'usd',
      charge: nextId('ch'),
      paymentIntent: nextId('pi'),
    }),
    balance_transaction: nextId('txn'),
    ...overrides,
  };
}

/** A charge as `charge.refunded` sends it on API versions that still embed its refunds. */
export function refundedCharge(refunds: Json[], overrides: Json = {}): StripeObject {
  return {
    id: nextId('ch'),
    object: 'charge',
    amount: 2999,
    amount_refunded: refunds.reduce((sum, r) => sum + Number(r.amount), 0),
    currency: 'usd',
    customer: 'cus_test_ada',
    metadata: {},
    paid: true,
    payment_intent: nextId('pi'),
    refunded: true,
    refunds: { object: 'list', data: refunds, has_more: false, total_count: refunds.length },
    status: 'succeeded',
    ...overrides,
  };
}

/**
 * An event envelope around an object.
 *
 * @example
 * const event = stripeEvent('checkout.session.completed', checkoutSession())
 */
export function stripeEvent(type: string, object: Json, overrides: Json = {}): StripeObject {
  return {
    ...eventObject({ id: nextId('evt'), created: 1763900003, type, object }),
    ...overrides,
  };
}

/**
 * An event's body as Stripe sends it (indented JSON): what a webhook signature covers.
 *
 * @example
 * const body = payloadOf(event); const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret })
 */
export const payloadOf = (event: Json): string => JSON.stringify(event, null, 2);
