/**
 * Polar webhook payloads as Polar sends them (snake_case, `{ type, timestamp, data }`), trimmed
 * to realistic values. Shaped after:
 * - https://polar.sh/docs/api-reference/webhooks/order.paid (the Order schema)
 * - https://polar.sh/docs/api-reference/webhooks/refund.created (the Refund schema)
 * - https://polar.sh/docs/integrate/webhooks/delivery (Standard Webhooks headers)
 * - the payloads Polar publishes: polarsource/polar-js @ 7b70884, "Example Usage" of
 *   `docs/models/components/webhookorderpaidpayload.md` and `webhookrefundcreatedpayload.md`
 * and checked against `@polar-sh/sdk`'s own webhook schemas in the payment-links tests.
 */
import { visitor } from './ids.js';

type Json = Record<string, unknown>;
let counter = 0;
const uuid = () => {
  const n = (Date.now() * 1000 + counter++).toString(16).padStart(12, '0').slice(-12);
  return `5e1a0c7e-0d2b-4c3f-8a4d-${n}`;
};

/** The secret Polar shows for a webhook endpoint (used as text, not base64). */
export const polarWebhookSecret = 'polar_whs_test_7Jm2pQ4xR8sT1vW3yZ5aB6cD9eF0gH';

const customer = (overrides: Json = {}): Json => ({
  id: '9b3c2a1d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
  created_at: '2026-01-05T10:00:00Z',
  modified_at: null,
  metadata: {},
  external_id: null,
  email: 'ada@example.com',
  email_verified: true,
  type: 'individual',
  name: 'Ada Lovelace',
  billing_name: null,
  billing_address: null,
  tax_id: null,
  organization_id: '1dbfc517-0bbf-4301-9ba8-555ca42b9737',
  deleted_at: null,
  avatar_url: 'https://www.gravatar.com/avatar/x?d=404',
  ...overrides,
});

const product = (recurring: boolean): Json => ({
  id: 'd8a2e7b1-3c4d-4e5f-9a0b-1c2d3e4f5a6b',
  created_at: '2025-12-01T09:00:00Z',
  modified_at: null,
  trial_interval: null,
  trial_interval_count: null,
  name: recurring ? 'Pro monthly' : 'Lifetime licence',
  description: null,
  visibility: 'public',
  recurring_interval: recurring ? 'month' : null,
  recurring_interval_count: recurring ? 1 : null,
  meter_interval: null,
  meter_interval_count: null,
  is_recurring: recurring,
  is_archived: false,
  organization_id: '1dbfc517-0bbf-4301-9ba8-555ca42b9737',
  metadata: {},
});

/**
 * A paid order. `subscription` (with its metadata) makes it a subscription order; override
 * `billing_reason` with `subscription_create` or `subscription_cycle` to match.
 */
export function polarOrder(
  overrides: Json = {},
  options: { subscriptionMetadata?: Record<string, string> } = {},
): Json {
  const id = uuid();
  const subscription = options.subscriptionMetadata
    ? {
        created_at: '2026-01-05T10:00:05Z',
        modified_at: null,
        id: uuid(),
        amount: 2999,
        currency: 'usd',
        recurring_interval: 'month',
        recurring_interval_count: 1,
        status: 'active',
        current_period_start: '2026-01-05T10:00:05Z',
        current_period_end: '2026-02-05T10:00:05Z',
        current_meter_period_start: null,
        current_meter_period_end: null,
        trial_start: null,
        trial_end: null,
        cancel_at_period_end: false,
        canceled_at: null,
        started_at: '2026-01-05T10:00:05Z',
        ends_at: null,
        ended_at: null,
        pause_at_period_end: false,
        paused_at: null,
        resumes_at: null,
        customer_id: '9b3c2a1d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
        product_id: 'd8a2e7b1-3c4d-4e5f-9a0b-1c2d3e4f5a6b',
        discount_id: null,
        checkout_id: uuid(),
        customer_cancellation_reason: null,
        customer_cancellation_comment: null,
        metadata: options.subscriptionMetadata,
      }
    : null;
  return {
    id,
    created_at: '2026-01-05T10:00:04Z',
    modified_at: '2026-01-05T10:00:06Z',
    status: 'paid',
    paid: true,
    subtotal_amount: 2999,
    discount_amount: 0,
    net_amount: 2999,
    tax_amount: 600,
    total_amount: 3599,
    applied_balance_amount: 0,
    due_amount: 0,
    refunded_amount: 0,
    refunded_tax_amount: 0,
    currency: 'usd',
    billing_reason: subscription ? 'subscription_create' : 'purchase',
    billing_name: 'Ada Lovelace',
    billing_address: {
      line1: null,
      line2: null,
      postal_code: null,
      city: null,
      state: null,
      country: 'FR',
    },
    invoice_number: 'POLAR-0001',
    is_invoice_generated: false,
    receipt_number: null,
    customer_id: '9b3c2a1d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
    product_id: 'd8a2e7b1-3c4d-4e5f-9a0b-1c2d3e4f5a6b',
    discount_id: null,
    subscription_id: subscription ? (subscription.id as string) : null,
    checkout_id: uuid(),
    metadata: {},
    custom_field_data: {},
    platform_fee_amount: 0,
    platform_fee_currency: null,
    customer: customer(),
    product: product(Boolean(subscription)),
    discount: null,
    subscription,
    items: [
      {
        created_at: '2026-01-05T10:00:04Z',
        modified_at: null,
        id: uuid(),
        label: subscription ? 'Pro monthly' : 'Lifetime licence',
        amount: 2999,
        tax_amount: 600,
        proration: false,
        product_price_id: uuid(),
      },
    ],
    description: subscription ? 'Pro monthly' : 'Lifetime licence',
    refundable_amount: 2999,
    refundable_tax_amount: 600,
    ...overrides,
  };
}

/** A refund of an order: `amount` before tax, `tax_amount` beside it. */
export function polarRefund(order: Json, overrides: Json = {}): Json {
  return {
    created_at: '2026-01-20T12:00:00Z',
    modified_at: null,
    id: uuid(),
    metadata: {},
    status: 'succeeded',
    reason: 'customer_request',
    amount: 2999,
    tax_amount: 600,
    currency: order.currency,
    organization_id: '1dbfc517-0bbf-4301-9ba8-555ca42b9737',
    order_id: order.id,
    subscription_id: order.subscription_id ?? null,
    customer_id: order.customer_id,
    revoke_benefits: false,
    dispute: null,
    ...overrides,
  };
}

/** The envelope Polar posts. */
export function polarEvent(type: string, data: Json): Json {
  return { type, timestamp: '2026-01-05T10:00:07Z', data };
}

/** The metadata a checkout link's `?reference_id=<visitor>` leaves on the order. */
export const polarLinkMetadata = { reference_id: visitor };
