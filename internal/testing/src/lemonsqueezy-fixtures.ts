/**
 * LemonSqueezy webhook payloads as LemonSqueezy sends them: `meta` (`event_name`,
 * `custom_data`, `test_mode`) and a JSON:API resource. Shaped after:
 * - https://docs.lemonsqueezy.com/help/webhooks/webhook-requests and
 *   https://docs.lemonsqueezy.com/help/webhooks/example-payloads
 * - https://docs.lemonsqueezy.com/api/orders/the-order-object
 * - https://docs.lemonsqueezy.com/api/subscription-invoices/the-subscription-invoice-object
 * - https://docs.lemonsqueezy.com/help/checkout/passing-custom-data (`meta.custom_data`)
 * The attribute templates are type-checked against `@lemonsqueezy/lemonsqueezy.js` in the
 * payment-links tests.
 */
type Json = Record<string, unknown>;
let counter = 0;
const nextId = () => String(1_000_000 + (Date.now() % 1_000_000) * 10 + (counter++ % 10));

/** A signing secret as set on a LemonSqueezy webhook (6 to 40 characters). */
export const lemonSqueezyWebhookSecret = 'ls_test_signing_secret_42';

/** An order's attributes: 29.99 + 6.00 tax, USD, paid. */
export const lemonSqueezyOrderTemplate = {
  store_id: 12345,
  customer_id: 678901,
  identifier: '104e18a2-d755-4d4b-80c4-a6c1dcbe1c10',
  order_number: 1001,
  user_name: 'Ada Lovelace',
  user_email: 'ada@example.com',
  currency: 'USD',
  currency_rate: '1.0000',
  subtotal: 2999,
  setup_fee: 0,
  discount_total: 0,
  tax: 600,
  total: 3599,
  refunded_amount: 0,
  subtotal_usd: 2999,
  setup_fee_usd: 0,
  discount_total_usd: 0,
  tax_usd: 600,
  total_usd: 3599,
  refunded_amount_usd: 0,
  tax_name: 'VAT',
  tax_rate: '20.00',
  tax_inclusive: false,
  status: 'paid',
  status_formatted: 'Paid',
  refunded: false,
  refunded_at: null,
  subtotal_formatted: '$29.99',
  setup_fee_formatted: '$0.00',
  discount_total_formatted: '$0.00',
  tax_formatted: '$6.00',
  total_formatted: '$35.99',
  refunded_amount_formatted: '$0.00',
  first_order_item: {
    id: 8765,
    order_id: 2468,
    product_id: 135,
    variant_id: 246,
    price_id: 357,
    quantity: 1,
    product_name: 'Pro',
    variant_name: 'Default',
    price: 2999,
    created_at: '2026-01-05T10:00:00.000000Z',
    updated_at: '2026-01-05T10:00:00.000000Z',
    test_mode: true,
  },
  urls: { receipt: 'https://app.lemonsqueezy.com/my-orders/104e18a2?signature=x' },
  created_at: '2026-01-05T10:00:00.000000Z',
  updated_at: '2026-01-05T10:00:00.000000Z',
  test_mode: true,
} as const;

/** A subscription invoice's attributes: a 29.99 + 6.00 renewal, paid. */
export const lemonSqueezyInvoiceTemplate = {
  store_id: 12345,
  subscription_id: 4321,
  customer_id: 678901,
  user_name: 'Ada Lovelace',
  user_email: 'ada@example.com',
  billing_reason: 'renewal',
  card_brand: 'visa',
  card_last_four: '4242',
  currency: 'USD',
  currency_rate: '1.0000',
  status: 'paid',
  status_formatted: 'Paid',
  refunded: false,
  refunded_at: null,
  subtotal: 2999,
  discount_total: 0,
  tax: 600,
  tax_inclusive: false,
  total: 3599,
  refunded_amount: 0,
  refunded_amount_usd: 0,
  refunded_amount_formatted: '$0.00',
  subtotal_usd: 2999,
  discount_total_usd: 0,
  tax_usd: 600,
  total_usd: 3599,
  subtotal_formatted: '$29.99',
  discount_total_formatted: '$0.00',
  tax_formatted: '$6.00',
  total_formatted: '$35.99',
  urls: { invoice_url: 'https://app.lemonsqueezy.com/my-orders/invoice/x' },
  created_at: '2026-02-05T10:00:00.000000Z',
  updated_at: '2026-02-05T10:00:00.000000Z',
  test_mode: true,
} as const;

/** An order resource (`data` of `order_created` / `order_refunded`). */
export function lemonSqueezyOrder(attributes: Json = {}, id = nextId()): Json {
  return {
    type: 'orders',
    id,
    attributes: { ...lemonSqueezyOrderTemplate, ...attributes },
    relationships: {
      store: { links: { related: `https://api.lemonsqueezy.com/v1/orders/${id}/store` } },
      customer: { links: { related: `https://api.lemonsqueezy.com/v1/orders/${id}/customer` } },
    },
    links: { self: `https://api.lemonsqueezy.com/v1/orders/${id}` },
  };
}

/** A subscription invoice resource (`data` of `subscription_payment_*`). */
export function lemonSqueezyInvoice(attributes: Json = {}, id = nextId()): Json {
  return {
    type: 'subscription-invoices',
    id,
    attributes: { ...lemonSqueezyInvoiceTemplate, ...attributes },
    relationships: {
      subscription: {
        links: {
          related: `https://api.lemonsqueezy.com/v1/subscription-invoices/${id}/subscription`,
        },
      },
    },
    links: { self: `https://api.lemonsqueezy.com/v1/subscription-invoices/${id}` },
  };
}

/** The envelope LemonSqueezy posts; `customData` is what the checkout carried (strings). */
export function lemonSqueezyEvent(
  eventName: string,
  data: Json,
  customData?: Record<string, string>,
): Json {
  return {
    meta: {
      test_mode: true,
      event_name: eventName,
      ...(customData ? { custom_data: customData } : {}),
      webhook_id: '8a2b6d34-9f3c-4f85-a1f6-2b7c1d9e0f11',
    },
    data,
  };
}
