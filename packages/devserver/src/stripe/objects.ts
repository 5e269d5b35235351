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

import type { Buyer, Json, StripeObject } from './stripe-object.js';

// The builders of the objects money moves through are in billing-objects.ts; they are
// re-exported here so that this file names every builder.
export {
  chargeObject,
  invoiceObject,
  invoicePaymentObject,
  paymentIntentObject,
  refundObject,
  subscriptionObject,
} from './billing-objects.js';
export type { Buyer, StripeObject };

/** The API version events are written in (the one `stripe` 23 pins). */
export const STRIPE_API_VERSION = '2026-10-28.endive';

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
