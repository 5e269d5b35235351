/**
 * Creem webhook payloads as Creem sends them (`{ id, eventType, created_at, object }`), with the
 * fields of current payloads (`order.transaction`, `amount_paid`, `tax_amount`). Shaped after:
 * - https://docs.creem.io/code/webhooks (event types and sample bodies: `checkout.completed`,
 *   `subscription.paid`, `refund.created`, `dispute.created`; its source is armitage-labs/creem
 *   @ 3d39163, `packages/docs/code/webhooks.mdx`). Those samples name no `order.transaction` nor
 *   `amount_paid` and embed no `last_transaction`: the tests build that shape too.
 * - https://docs.creem.io/api-reference/endpoint/get-transaction (the Transaction object)
 * and checked against the `creem` SDK's own webhook schemas in the payment-links tests.
 */
type Json = Record<string, unknown>;
let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}Tst`;

/** A webhook secret as Creem's dashboard shows it. */
export const creemWebhookSecret = 'whsec_dGVzdC1jcmVlbS13ZWJob29rLXNlY3JldC0xMjM0NQ==';
/** A test-mode API key: Creem routes it to `test-api.creem.io`. */
export const creemTestApiKey = 'creem_test_3fakeKeyForTests9';

const customer = {
  id: 'cust_1OcIK1GEuVvXZwD19tjq2z',
  object: 'customer',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  country: 'NL',
  created_at: '2026-01-05T09:16:48.557Z',
  updated_at: '2026-01-05T09:16:48.557Z',
  mode: 'test',
};

const product = (recurring: boolean): Json => ({
  id: 'prod_d1AY2Sadk9YAvLI0pj97f',
  object: 'product',
  name: recurring ? 'Monthly' : 'Lifetime',
  description: recurring ? 'Monthly' : 'Lifetime',
  image_url: 'https://nucn5fajkcc6sgrd.public.blob.vercel-storage.com/product.png',
  price: 1000,
  currency: 'EUR',
  billing_type: recurring ? 'recurring' : 'onetime',
  billing_period: recurring ? 'every-month' : 'once',
  status: 'active',
  tax_mode: 'exclusive',
  tax_category: 'saas',
  default_success_url: '',
  created_at: '2025-12-11T11:50:00.182Z',
  updated_at: '2025-12-11T11:50:00.182Z',
  mode: 'test',
});

/** A subscription object, as embedded in checkouts and sent by `subscription.paid`. */
export function creemSubscription(overrides: Json = {}): Json {
  return {
    id: nextId('sub'),
    object: 'subscription',
    product: product(true),
    customer,
    collection_method: 'charge_automatically',
    status: 'active',
    last_transaction_id: nextId('tran'),
    last_transaction_date: '2026-01-12T11:58:47.109Z',
    next_transaction_date: '2026-02-12T11:58:38.000Z',
    current_period_start_date: '2026-01-12T11:58:38.000Z',
    current_period_end_date: '2026-02-12T11:58:38.000Z',
    canceled_at: null,
    created_at: '2026-01-12T11:58:45.425Z',
    updated_at: '2026-01-12T11:58:45.425Z',
    metadata: {},
    mode: 'test',
    ...overrides,
  };
}

/**
 * A transaction (`GET /v1/transactions`, or `subscription.last_transaction`): `amount` before
 * tax, `amount_paid` after; `period_start`/`period_end` in milliseconds.
 */
export function creemTransaction(overrides: Json = {}): Json {
  return {
    id: nextId('tran'),
    object: 'transaction',
    amount: 1000,
    amount_paid: 1210,
    discount_amount: 0,
    currency: 'EUR',
    type: 'invoice',
    tax_country: 'NL',
    tax_amount: 210,
    status: 'paid',
    refunded_amount: null,
    order: nextId('ord'),
    subscription: null,
    customer: customer.id,
    description: 'Subscription payment',
    period_start: Date.parse('2026-01-12T11:58:38.000Z'),
    period_end: Date.parse('2026-02-12T11:58:38.000Z'),
    created_at: Date.parse('2026-01-12T11:58:47.109Z'),
    mode: 'test',
    ...overrides,
  };
}

/**
 * A completed checkout (`checkout.completed`'s object, or `GET /v1/checkouts`). With a
 * `subscription` it is a subscription's first charge; its `order.transaction` is the same
 * `tran_…` as the subscription's `last_transaction_id`.
 */
export function creemCheckout(
  overrides: Json = {},
  options: { subscription?: Json; order?: Json; metadata?: Json } = {},
): Json {
  const subscription = options.subscription;
  const transaction = (subscription?.last_transaction_id as string | undefined) ?? nextId('tran');
  return {
    id: nextId('ch'),
    object: 'checkout',
    request_id: 'my-request-id',
    order: {
      id: nextId('ord'),
      object: 'order',
      customer: customer.id,
      product: 'prod_d1AY2Sadk9YAvLI0pj97f',
      amount: 1000,
      currency: 'EUR',
      sub_total: 1000,
      tax_amount: 210,
      amount_due: 1210,
      amount_paid: 1210,
      discount_amount: 0,
      status: 'paid',
      type: subscription ? 'recurring' : 'onetime',
      transaction,
      created_at: '2026-01-12T11:58:33.097Z',
      updated_at: '2026-01-12T11:58:33.097Z',
      mode: 'test',
      ...options.order,
    },
    product: product(Boolean(subscription)),
    units: 1,
    customer,
    ...(subscription ? { subscription } : {}),
    custom_fields: [],
    status: 'completed',
    metadata: options.metadata ?? {},
    mode: 'test',
    ...overrides,
  };
}

/** A refund: `refund_amount` is what was returned, tax included. */
export function creemRefund(
  overrides: Json = {},
  options: { checkout?: Json; subscription?: Json; transaction?: Json } = {},
): Json {
  const transaction =
    options.transaction ?? creemTransaction({ status: 'refunded', refunded_amount: 1210 });
  return {
    id: nextId('ref'),
    object: 'refund',
    status: 'succeeded',
    refund_amount: 1210,
    refund_currency: 'EUR',
    reason: 'requested_by_customer',
    transaction,
    ...(options.subscription ? { subscription: options.subscription } : {}),
    ...(options.checkout
      ? {
          checkout: {
            id: options.checkout.id,
            object: 'checkout',
            request_id: 'my-request-id',
            product: 'prod_d1AY2Sadk9YAvLI0pj97f',
            custom_fields: [],
            status: 'completed',
            metadata: options.checkout.metadata,
            mode: 'test',
          },
        }
      : {}),
    customer,
    created_at: Date.parse('2026-01-20T10:00:00.000Z'),
    mode: 'test',
    ...overrides,
  };
}

/** The envelope Creem posts. */
export function creemEvent(eventType: string, object: Json): Json {
  return {
    id: nextId('evt'),
    eventType,
    created_at: Date.parse('2026-01-12T11:58:49.000Z'),
    object,
  };
}

/**
 * A dispute as `dispute.created` sends it (https://docs.creem.io/code/webhooks, "dispute.created"):
 * its transaction already charged back (`chargedBack` in the `creem` SDK's schema, `chargeback` in
 * the docs' sample), refunded in full; the checkout it came from may be embedded with its metadata.
 */
export function creemDispute(
  overrides: Json = {},
  options: { checkout?: Json; subscription?: Json } = {},
): Json {
  return {
    id: nextId('disp'),
    object: 'dispute',
    amount: 1210,
    currency: 'EUR',
    transaction: creemTransaction({ status: 'chargedBack', refunded_amount: 1210 }),
    ...(options.subscription ? { subscription: options.subscription } : {}),
    ...(options.checkout
      ? {
          checkout: {
            id: options.checkout.id,
            object: 'checkout',
            product: 'prod_d1AY2Sadk9YAvLI0pj97f',
            units: 1,
            custom_fields: [],
            status: 'completed',
            metadata: options.checkout.metadata,
            mode: 'test',
          },
        }
      : {}),
    customer,
    created_at: Date.parse('2026-02-01T09:00:00.000Z'),
    mode: 'test',
    ...overrides,
  };
}
