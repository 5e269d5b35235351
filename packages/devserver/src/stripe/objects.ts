/**
 * Stripe objects and events in the shape Stripe's API gives them, trimmed to realistic fields:
 * what the devserver's stand-in checkout creates and its `/v1` API answers, and what the test
 * fixtures of `@datafast-checkout/devserver/testing` are made of. Shaped after:
 * - the Event object: https://docs.stripe.com/api/events/object
 * - the Checkout Session object: https://docs.stripe.com/api/checkout/sessions/object, and the
 *   completed/async events of https://docs.stripe.com/checkout/fulfillment
 * - the Invoice object (API 2025-03-31 and later: `parent.subscription_details`):
 *   https://docs.stripe.com/api/invoices/object, and its payments:
 *   https://docs.stripe.com/api/invoice-payment/object
 * - PaymentIntent, Charge, Refund, Subscription and Customer: https://docs.stripe.com/api
 * - amounts in the smallest unit, with Stripe's exceptions: https://docs.stripe.com/currencies
 */

type Json = Record<string, unknown>;

/** A Stripe object as the API answers it: an `id` and whatever fields the object has. */
export type StripeObject = { id: string } & Json;

/** The API version events are written in (the one `stripe` 23 pins). */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** Who paid: the Customer and the Checkout Session's `customer_details`. */
export interface Buyer {
  customer: string | null;
  email: string | null;
  name: string | null;
  country?: string | null;
}

/** A Checkout Session's `customer_details`: who paid, as the buyer typed it. */
export function customerDetails(buyer: Buyer): Json {
  return {
    address: {
      city: null,
      country: buyer.country ?? null,
      line1: null,
      line2: null,
      postal_code: null,
      state: null,
    },
    email: buyer.email,
    name: buyer.name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
}

/** A Checkout Session: what a payment link creates when the buyer pays. */
export function checkoutSessionObject(fields: {
  id: string;
  created: number;
  mode: 'payment' | 'subscription';
  amountTotal: number;
  amountSubtotal?: number;
  currency: string;
  buyer: Buyer;
  clientReferenceId: string | null;
  paymentIntent: string | null;
  subscription: string | null;
  invoice: string | null;
  paymentLink: string | null;
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  paymentMethodTypes: string[];
  successUrl: string | null;
}): StripeObject {
  return {
    id: fields.id,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: false,
    amount_subtotal: fields.amountSubtotal ?? fields.amountTotal,
    amount_total: fields.amountTotal,
    automatic_tax: { enabled: false, liability: null, status: null },
    cancel_url: null,
    client_reference_id: fields.clientReferenceId,
    created: fields.created,
    currency: fields.currency,
    customer: fields.buyer.customer,
    customer_creation: fields.mode === 'payment' ? 'if_required' : null,
    customer_details: customerDetails(fields.buyer),
    expires_at: fields.created + 86_400,
    invoice: fields.invoice,
    livemode: false,
    locale: null,
    metadata: {},
    mode: fields.mode,
    payment_intent: fields.paymentIntent,
    payment_link: fields.paymentLink,
    payment_method_types: fields.paymentMethodTypes,
    payment_status: fields.paymentStatus,
    status: 'complete',
    subscription: fields.subscription,
    success_url: fields.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: null,
  };
}

/**
 * An invoice in the endpoint's shape: `basil` (API 2025-03-31 and later) puts the subscription
 * under `parent.subscription_details`; `legacy` uses the top-level fields older endpoints get.
 */
export function invoiceObject(fields: {
  id: string;
  created: number;
  shape?: 'basil' | 'legacy';
  subscription: string;
  subscriptionMetadata?: Record<string, string>;
  billingReason: 'subscription_create' | 'subscription_cycle';
  amount: number;
  currency: string;
  buyer: Buyer;
  paid: boolean;
}): StripeObject {
  const metadata = fields.subscriptionMetadata ?? {};
  const paidAt = fields.paid ? fields.created + 2 : null;
  const common = {
    id: fields.id,
    object: 'invoice',
    account_country: 'FR',
    amount_due: fields.amount,
    amount_paid: fields.paid ? fields.amount : 0,
    amount_remaining: fields.paid ? 0 : fields.amount,
    attempt_count: 1,
    attempted: true,
    billing_reason: fields.billingReason,
    collection_method: 'charge_automatically',
    created: fields.created,
    currency: fields.currency,
    customer: fields.buyer.customer,
    customer_email: fields.buyer.email,
    customer_name: fields.buyer.name,
    discounts: [],
    livemode: false,
    metadata: {},
    paid_out_of_band: false,
    status: fields.paid ? 'paid' : 'open',
    status_transitions: { finalized_at: fields.created + 1, paid_at: paidAt, voided_at: null },
    subtotal: fields.amount,
    total: fields.amount,
    total_discount_amounts: [],
  };
  const shaped: Json =
    (fields.shape ?? 'basil') === 'basil'
      ? {
          parent: {
            quote_details: null,
            subscription_details: { metadata, subscription: fields.subscription },
            type: 'subscription_details',
          },
        }
      : { subscription: fields.subscription, subscription_details: { metadata } };
  return { ...common, ...shaped };
}

/** The payment of an invoice by a PaymentIntent (API 2025-03-31 and later). */
export function invoicePaymentObject(fields: {
  id: string;
  created: number;
  invoice: string;
  paymentIntent: string;
  amount: number;
  currency: string;
}): StripeObject {
  return {
    id: fields.id,
    object: 'invoice_payment',
    amount_paid: fields.amount,
    amount_requested: fields.amount,
    created: fields.created,
    currency: fields.currency,
    invoice: fields.invoice,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: fields.paymentIntent },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: fields.created },
  };
}

/** A PaymentIntent and its status: `processing` while an asynchronous method settles. */
export function paymentIntentObject(fields: {
  id: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  charge: string | null;
  status: 'succeeded' | 'processing' | 'requires_payment_method';
  paymentMethodTypes: string[];
}): StripeObject {
  return {
    id: fields.id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_received: fields.status === 'succeeded' ? fields.amount : 0,
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    latest_charge: fields.charge,
    livemode: false,
    metadata: {},
    payment_method_types: fields.paymentMethodTypes,
    status: fields.status,
  };
}

/** The charge of a PaymentIntent; `amount_refunded` grows with each refund. */
export function chargeObject(fields: {
  id: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  paymentIntent: string;
}): StripeObject {
  return {
    id: fields.id,
    object: 'charge',
    amount: fields.amount,
    amount_captured: fields.amount,
    amount_refunded: 0,
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: fields.paymentIntent,
    refunded: false,
    status: 'succeeded',
  };
}

/** A refund: `pending` first for slow methods, then `succeeded`. */
export function refundObject(fields: {
  id: string;
  created: number;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  status?: 'pending' | 'succeeded';
}): StripeObject {
  return {
    id: fields.id,
    object: 'refund',
    amount: fields.amount,
    balance_transaction: null,
    charge: fields.charge,
    created: fields.created,
    currency: fields.currency,
    metadata: {},
    payment_intent: fields.paymentIntent,
    reason: 'requested_by_customer',
    receipt_number: null,
    status: fields.status ?? 'succeeded',
  };
}

/** A subscription; `trialing` until its trial ends. */
export function subscriptionObject(fields: {
  id: string;
  created: number;
  customer: string | null;
  currency: string;
  interval: 'month' | 'year';
  unitAmount: number;
  productName: string;
  latestInvoice: string;
  trialEnd: number | null;
  periodEnd: number;
}): StripeObject {
  return {
    id: fields.id,
    object: 'subscription',
    billing_cycle_anchor: fields.trialEnd ?? fields.created,
    cancel_at_period_end: false,
    collection_method: 'charge_automatically',
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    items: {
      object: 'list',
      data: [
        {
          object: 'subscription_item',
          current_period_end: fields.periodEnd,
          current_period_start: fields.created,
          price: {
            object: 'price',
            currency: fields.currency,
            product: { name: fields.productName },
            recurring: { interval: fields.interval, interval_count: 1 },
            unit_amount: fields.unitAmount,
          },
          quantity: 1,
        },
      ],
    },
    latest_invoice: fields.latestInvoice,
    livemode: false,
    metadata: {},
    status: fields.trialEnd ? 'trialing' : 'active',
    trial_end: fields.trialEnd,
    trial_start: fields.trialEnd ? fields.created : null,
  };
}

/** A Customer. */
export function customerObject(fields: {
  id: string;
  created: number;
  email: string | null;
  name: string | null;
}): StripeObject {
  return {
    id: fields.id,
    object: 'customer',
    created: fields.created,
    email: fields.email,
    livemode: false,
    metadata: {},
    name: fields.name,
  };
}

/** An event envelope around a snapshot of an object. */
export function eventObject(fields: {
  id: string;
  created: number;
  type: string;
  object: Json;
}): StripeObject {
  return {
    id: fields.id,
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: fields.created,
    data: { object: fields.object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: fields.type,
  };
}
