/**
 * Dodo Payments webhooks as Dodo sends them (`{ business_id, type, timestamp, data }`), amounts
 * in each currency's own minor unit. Shaped after:
 * - https://docs.dodopayments.com/developer-resources/webhooks/intents/payment (the Payment
 *   payload, `payment.succeeded`)
 * - https://docs.dodopayments.com/developer-resources/webhooks/intents/refund (`refund.succeeded`)
 * - https://docs.dodopayments.com/developer-resources/webhooks (Standard Webhooks headers)
 * and checked against the `dodopayments` SDK's types and `webhooks.unwrap` in the payment-links
 * tests.
 */
type Json = Record<string, unknown>;
let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_0N${(Date.now().toString(36) + (counter++).toString(36)).padStart(19, 'x').slice(-19)}`;

/** A webhook secret as Dodo's dashboard shows it: `whsec_` + base64. */
export const dodoWebhookSecret = 'whsec_ZG9kby10ZXN0LXdlYmhvb2stc2VjcmV0LWtleS0xMjM0NTY=';

/**
 * A succeeded payment. One-time by default; a subscription's first charge carries its
 * `checkout_session_id` (or the `payment_link` it was paid through), a renewal neither.
 */
export function dodoPayment(overrides: Json = {}): Json {
  return {
    payload_type: 'Payment',
    billing: {
      city: 'Paris',
      country: 'FR',
      state: 'IDF',
      street: '1 rue de la Paix',
      zipcode: '75002',
    },
    brand_id: 'bus_S0j4GqnwelprxVy7PicQG',
    business_id: 'bus_S0j4GqnwelprxVy7PicQG',
    card_issuing_country: 'FR',
    card_last_four: '4242',
    card_network: 'VISA',
    card_type: 'CREDIT',
    checkout_session_id: 'cks_0NWGwkdQpNe1pKvYx3zZ1',
    created_at: '2026-01-14T13:25:43.118Z',
    currency: 'USD',
    customer: {
      customer_id: 'cus_0NWGwkiON1PKv48vrrwW5',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
    },
    digital_products_delivered: false,
    discount_id: null,
    discounts: [],
    disputes: [],
    error_code: null,
    error_message: null,
    is_multi_subscription: false,
    is_update_payment_method: false,
    metadata: {},
    payment_id: nextId('pay'),
    payment_link: null,
    payment_method: 'card',
    payment_method_type: 'visa',
    payment_provider: 'dodo',
    product_cart: [{ product_id: 'pdt_CZikJJg7rTP13neCwBqng', quantity: 1 }],
    refunds: [],
    retry_attempt: 0,
    settlement_amount: 3599,
    settlement_currency: 'USD',
    settlement_tax: 600,
    status: 'succeeded',
    subscription_id: null,
    subscription_ids: [],
    tax: 600,
    total_amount: 3599,
    updated_at: '2026-01-14T13:26:02.854Z',
    ...overrides,
  };
}

/** A succeeded refund: only its own metadata, none of the payment's. */
export function dodoRefund(payment: Json, overrides: Json = {}): Json {
  return {
    payload_type: 'Refund',
    brand_id: payment.brand_id,
    business_id: payment.business_id,
    created_at: '2026-01-20T10:00:00.000Z',
    customer: payment.customer,
    is_partial: false,
    metadata: {},
    payment_id: payment.payment_id,
    refund_id: nextId('ref'),
    status: 'succeeded',
    amount: payment.total_amount,
    currency: payment.currency,
    reason: 'Customer asked for a refund',
    ...overrides,
  };
}

/**
 * A dispute of a payment (`data` of `dispute.*`), shaped after the `Dispute` of the
 * `dodopayments` SDK (`resources/disputes.d.ts`) and the `DisputeResponse` of Dodo's OpenAPI:
 * `amount` a string, `dispute_status` `dispute_lost` once lost.
 */
export function dodoDispute(payment: Json, overrides: Json = {}): Json {
  return {
    dispute_id: nextId('dsp'),
    payment_id: payment.payment_id,
    business_id: payment.business_id,
    amount: String(payment.total_amount),
    currency: payment.currency,
    dispute_status: 'dispute_lost',
    dispute_stage: 'dispute',
    created_at: '2026-02-01T09:00:00.000Z',
    remarks: null,
    ...overrides,
  };
}

/** The envelope Dodo posts. */
export function dodoEvent(type: string, data: Json): Json {
  return {
    business_id: 'bus_S0j4GqnwelprxVy7PicQG',
    type,
    timestamp: '2026-01-14T13:26:02.854Z',
    data,
  };
}
