/**
 * The objects money moves through, in the shape Stripe's API gives them (see objects.ts for the
 * pages each is shaped after): invoices and their payments, PaymentIntents, Charges, Refunds and
 * Subscriptions.
 */
import type { Buyer, Json, StripeObject } from './stripe-object.js';

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
