/**
 * Stripe objects and events as Stripe sends them, trimmed to realistic fields. Shaped after:
 * - the Event object: https://docs.stripe.com/api/events/object
 * - the Checkout Session object: https://docs.stripe.com/api/checkout/sessions/object, and the
 *   completed/async events of https://docs.stripe.com/checkout/fulfillment
 * - the Invoice object, both shapes: https://docs.stripe.com/api/invoices/object and
 *   https://docs.stripe.com/changelog/basil/2025-03-31/adds-new-parent-field-to-invoicing-objects
 *   (`parent.subscription_details` since 2025-03-31; `subscription`/`subscription_details` before)
 * - the Refund object: https://docs.stripe.com/api/refunds/object, and the Charge object's
 *   `refunds` list on older API versions: https://docs.stripe.com/api/charges/object
 * - amounts in the smallest unit, with Stripe's exceptions: https://docs.stripe.com/currencies
 * Every field is in the endpoint's API version, so the builders can produce either era.
 */

type Json = Record<string, unknown>;
/** A Stripe object as the API answers it: an `id` and whatever fields the object has. */
export type StripeObject = { id: string } & Json;
let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_test_${Date.now().toString(36)}${(counter++).toString(36)}`;

/**
 * A Checkout Session in payment mode, paid by card, from a payment link unless overridden.
 *
 * @example
 * const session = checkoutSession({ client_reference_id: visitorId }) // $29.99, paid
 */
export function checkoutSession(overrides: Json = {}): StripeObject {
  return {
    id: nextId('cs'),
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: false,
    amount_subtotal: 2999,
    amount_total: 2999,
    automatic_tax: { enabled: false, liability: null, status: null },
    cancel_url: null,
    client_reference_id: null,
    created: 1763900000,
    currency: 'usd',
    customer: 'cus_test_ada',
    customer_creation: 'if_required',
    customer_details: {
      address: {
        city: null,
        country: 'FR',
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
      },
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
    expires_at: 1763986400,
    invoice: null,
    livemode: false,
    locale: null,
    metadata: {},
    mode: 'payment',
    payment_intent: nextId('pi'),
    payment_link: 'plink_test_1',
    payment_method_types: ['card'],
    payment_status: 'paid',
    status: 'complete',
    subscription: null,
    success_url: 'https://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: null,
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
  const subscription = options.subscription ?? nextId('sub');
  const metadata = options.subscriptionMetadata ?? {};
  const common = {
    id: nextId('in'),
    object: 'invoice',
    account_country: 'FR',
    amount_due: 2999,
    amount_paid: 2999,
    amount_remaining: 0,
    attempt_count: 1,
    attempted: true,
    billing_reason: 'subscription_create',
    collection_method: 'charge_automatically',
    created: 1763900000,
    currency: 'usd',
    customer: 'cus_test_ada',
    customer_email: 'ada@example.com',
    customer_name: 'Ada Lovelace',
    discounts: [],
    livemode: false,
    metadata: {},
    paid_out_of_band: false,
    status: 'paid',
    status_transitions: { finalized_at: 1763900001, paid_at: 1763900002, voided_at: null },
    subtotal: 2999,
    total: 2999,
    total_discount_amounts: [],
  };
  const shaped: Json =
    options.shape === 'basil'
      ? {
          parent: {
            quote_details: null,
            subscription_details: { metadata, subscription },
            type: 'subscription_details',
          },
        }
      : { subscription, subscription_details: { metadata } };
  return { ...common, ...shaped, ...overrides };
}

/** A refund; `status: 'pending'` first for slow methods, then `succeeded`. */
export function refund(overrides: Json = {}): StripeObject {
  return {
    id: nextId('re'),
    object: 'refund',
    amount: 1000,
    balance_transaction: nextId('txn'),
    charge: nextId('ch'),
    created: 1763990000,
    currency: 'usd',
    metadata: {},
    payment_intent: nextId('pi'),
    reason: 'requested_by_customer',
    receipt_number: null,
    status: 'succeeded',
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
    id: nextId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: 1763900003,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
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
