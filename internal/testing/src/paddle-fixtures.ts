/**
 * Paddle Billing notifications as Paddle sends them (`{ event_id, event_type, occurred_at,
 * notification_id, data }`), amounts as strings of minor units. Shaped after:
 * - https://developer.paddle.com/webhooks/transactions/transaction-completed
 * - https://developer.paddle.com/webhooks/adjustments/adjustment-updated
 * - https://developer.paddle.com/api-reference/transactions/overview (the Transaction entity)
 * - https://developer.paddle.com/webhooks/signature-verification (`Paddle-Signature`)
 * - the payloads Paddle publishes: PaddleHQ/paddle-node-sdk @ b8ee4b1,
 *   `src/__tests__/mocks/notifications/` (`transaction-completed`, `transaction-paid`,
 *   `adjustment-created`, `adjustment-updated`), and the `subscription_recurring` transaction of
 *   PaddleHQ/paddle-python-sdk @ 48c8cc0, `tests/Functional/Resources/Events/_fixtures/`
 * and checked with `@paddle/paddle-node-sdk`'s own `webhooks.unmarshal` in the payment-links tests.
 */
type Json = Record<string, unknown>;
let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_01${(Date.now().toString(36) + (counter++).toString(36)).padStart(24, '0').slice(-24)}`;

/** A notification destination's secret key. */
export const paddleWebhookSecret =
  'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
/** The next secret key, while Paddle rotates (it signs with both). */
export const paddleRotatedSecret =
  'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_Zq8RmT2vLw5nXc1yHb4oPa7dKe9sJf3G';
/** A sandbox API key: Paddle routes it to `sandbox-api.paddle.com`. */
export const paddleSandboxApiKey =
  'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO';

const money = (subtotal: string, tax: string, discount = '0') => {
  const total = (BigInt(subtotal) + BigInt(tax) - BigInt(discount)).toString();
  return {
    subtotal,
    discount,
    tax,
    total,
    credit: '0',
    credit_to_balance: '0',
    balance: '0',
    grand_total: total,
  };
};

/**
 * A completed transaction: `details.totals` as strings (`grand_total` is what was paid),
 * `origin: web` for a checkout, `subscription_recurring` for a renewal.
 */
export function paddleTransaction(
  overrides: Json = {},
  options: { subtotal?: string; tax?: string; discount?: string; currency?: string } = {},
): Json {
  const currency = options.currency ?? 'USD';
  const totals = money(options.subtotal ?? '2999', options.tax ?? '600', options.discount);
  return {
    id: nextId('txn'),
    status: 'completed',
    customer_id: 'ctm_01hv6y1jedq4p1n0yqn5ba3ky4',
    address_id: 'add_01hv8gq3318ktkfengj2r75gfx',
    business_id: null,
    custom_data: null,
    currency_code: currency,
    origin: 'web',
    subscription_id: null,
    invoice_id: 'inv_01hv8gwdfkw5z6d1yy6y6nw0zy',
    invoice_number: '325-10566',
    collection_mode: 'automatic',
    discount_id: null,
    billing_details: null,
    billing_period: null,
    items: [
      {
        price_id: 'pri_01gsz8x8sawmvhz1pv30nge1ke',
        price: {
          id: 'pri_01gsz8x8sawmvhz1pv30nge1ke',
          product_id: 'pro_01gsz4t5hdjse780zja8vvr7jg',
          description: 'Monthly',
          type: 'standard',
          name: 'Monthly',
          billing_cycle: { interval: 'month', frequency: 1 },
          trial_period: null,
          tax_mode: 'account_setting',
          unit_price: { amount: options.subtotal ?? '2999', currency_code: currency },
          unit_price_overrides: [],
          quantity: { minimum: 1, maximum: 1 },
          status: 'active',
          custom_data: null,
          import_meta: null,
          created_at: '2025-11-01T10:00:00.000Z',
          updated_at: '2025-11-01T10:00:00.000Z',
        },
        quantity: 1,
        proration: null,
      },
    ],
    details: {
      tax_rates_used: [
        {
          tax_rate: '0.2',
          totals: money(options.subtotal ?? '2999', options.tax ?? '600', options.discount),
        },
      ],
      totals: { ...totals, fee: '115', earnings: '2884', currency_code: currency },
      adjusted_totals: { ...totals, fee: '115', earnings: '2884', currency_code: currency },
      payout_totals: null,
      adjusted_payout_totals: null,
      line_items: [],
    },
    payments: [
      {
        payment_attempt_id: '8f72cfa6-26b4-4a57-91dc-8f2708f7822d',
        stored_payment_method_id: 'a78ece50-356f-4e0c-b72d-ad5368b0a0ff',
        payment_method_id: 'paymtd_01hkm9xwqpbbpr1ksmvg3sx3v1',
        amount: totals.grand_total,
        status: 'captured',
        error_code: null,
        method_details: {
          type: 'card',
          card: {
            type: 'visa',
            last4: '4242',
            expiry_month: 1,
            expiry_year: 2028,
            cardholder_name: 'Ada Lovelace',
          },
        },
        created_at: '2026-01-05T10:00:02.000Z',
        captured_at: '2026-01-05T10:00:03.000Z',
      },
    ],
    checkout: { url: 'https://shop.example/pay?_ptxn=txn_x' },
    created_at: '2026-01-05T10:00:00.000Z',
    updated_at: '2026-01-05T10:00:04.000Z',
    billed_at: '2026-01-05T10:00:03.000Z',
    revised_at: null,
    ...overrides,
  };
}

/** A refund adjustment of a transaction: `pending_approval` first, then `approved`. */
export function paddleRefund(transaction: Json, overrides: Json = {}, total = '3599'): Json {
  return {
    id: nextId('adj'),
    action: 'refund',
    type: 'full',
    transaction_id: transaction.id,
    subscription_id: transaction.subscription_id ?? null,
    customer_id: transaction.customer_id,
    reason: 'Customer asked for a refund',
    credit_applied_to_balance: null,
    currency_code: transaction.currency_code,
    status: 'approved',
    items: [],
    totals: {
      subtotal: total,
      tax: '0',
      total,
      fee: '0',
      earnings: '0',
      currency_code: transaction.currency_code,
    },
    payout_totals: null,
    tax_rates_used: [],
    created_at: '2026-01-20T10:00:00.000Z',
    updated_at: '2026-01-20T10:05:00.000Z',
    ...overrides,
  };
}

/** The envelope Paddle posts. */
export function paddleEvent(eventType: string, data: Json): Json {
  return {
    event_id: nextId('evt'),
    event_type: eventType,
    occurred_at: '2026-01-05T10:00:05.000Z',
    notification_id: nextId('ntf'),
    data,
  };
}
