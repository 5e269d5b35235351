import { polarWebhook } from '@datafast-checkout/payment-links/polar';
import {
  polarEvent,
  polarOrder,
  polarRefund,
  polarWebhookSecret,
  standardWebhookRequest,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect } from 'vitest';
import { day, describeProvider, type Stored } from './helpers/scenario.js';

// Fixtures shaped after Polar's order and refund objects (internal/testing/src/polar-fixtures.ts).
// Polar has no three-decimal currency (its table, payment-links' polar/currencies.ts).
const withVisitor = { metadata: { datafast_visitor_id: visitor } };
const usd = polarOrder({ ...withVisitor, created_at: day(1) });
const jpy = polarOrder({ ...withVisitor, created_at: day(2), currency: 'jpy', total_amount: 5000 });
const anonymous = polarOrder({ created_at: day(3), total_amount: 1000 });
const first = polarOrder(
  { created_at: day(4) },
  { subscriptionMetadata: { datafast_visitor_id: visitor } },
);
const renewals = [14, 24].map((n) =>
  polarOrder({
    created_at: day(n),
    billing_reason: 'subscription_cycle',
    subscription_id: first.subscription_id,
    subscription: first.subscription,
  }),
);
const unpaid = polarOrder({ ...withVisitor, created_at: day(5), status: 'pending', paid: false });
const outside = polarOrder({ ...withVisitor, created_at: '2026-02-10T10:00:00Z' });
const partial = polarRefund(usd, { created_at: day(6), amount: 1000, tax_amount: 0 });
const full = polarRefund(anonymous, { created_at: day(7), amount: 1000, tax_amount: 0 });
const orders = [outside, usd, jpy, anonymous, first, unpaid, ...renewals];

const expected: Stored[] = [
  { transaction_id: String(usd.id), amount: 35.99, currency: 'USD', datafast_visitor_id: visitor },
  { transaction_id: String(jpy.id), amount: 5000, currency: 'JPY', datafast_visitor_id: visitor },
  { transaction_id: String(anonymous.id), amount: 10, currency: 'USD', datafast_visitor_id: null },
  {
    transaction_id: String(first.id),
    amount: 35.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
  },
  ...renewals.map((renewal) => ({
    transaction_id: String(renewal.id),
    amount: 35.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
    renewal: true,
  })),
  {
    transaction_id: String(partial.id),
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: visitor,
    refunded: true,
  },
  {
    transaction_id: String(full.id),
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: null,
    refunded: true,
  },
];

describe('backfill polar', () => {
  describeProvider({
    provider: 'polar',
    apiKey: 'polar_oat_test',
    seed(api) {
      api.list('/v1/orders/', orders, 'polar');
      api.list('/v1/refunds/', [partial, full], 'polar');
      for (const order of orders) api.set(`/v1/orders/${String(order.id)}`, order);
    },
    async deliver(api, datafast) {
      const webhook = polarWebhook({
        secret: polarWebhookSecret,
        accessToken: 'polar_oat_test',
        apiBase: api.url,
        datafast,
      });
      const events = [
        ...[usd, jpy, anonymous, first, ...renewals].map((o) => polarEvent('order.paid', o)),
        ...[partial, full].map((r) => polarEvent('refund.created', r)),
      ];
      for (const event of events) {
        const request = standardWebhookRequest('https://shop.example/api/webhooks/polar', event, {
          secret: polarWebhookSecret,
          secretEncoding: 'utf8',
        });
        expect((await webhook(request)).status).toBe(200);
      }
    },
    expected,
    counts: { found: expected.length, reported: expected.length, refunds: 2, unattributed: 1 },
    isFirstPage: (request) =>
      request.path === '/v1/orders/' &&
      request.query.page === '1' &&
      Boolean(request.query.sorting),
  });
});
