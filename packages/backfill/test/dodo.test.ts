import { dodoWebhook } from '@datafast-checkout/payment-links/dodo';
import {
  dodoEvent,
  dodoPayment,
  dodoRefund,
  dodoWebhookSecret,
  standardWebhookRequest,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect } from 'vitest';
import { day, describeProvider, type Stored } from './helpers/scenario.js';

// Fixtures shaped after Dodo's payment and refund objects (internal/testing/src/dodo-fixtures.ts).
const withVisitor = { metadata: { datafast_visitor_id: visitor } };
const usd = dodoPayment({ ...withVisitor, created_at: day(1) });
const jpy = dodoPayment({
  ...withVisitor,
  created_at: day(2),
  currency: 'JPY',
  total_amount: 5000,
});
const kwd = dodoPayment({
  ...withVisitor,
  created_at: day(3),
  currency: 'KWD',
  total_amount: 1500,
});
const anonymous = dodoPayment({ created_at: day(4), total_amount: 1000 });
const first = dodoPayment({ ...withVisitor, created_at: day(5), subscription_id: 'sub_dodo_1' });
const renewals = [15, 25].map((n) =>
  dodoPayment({
    ...withVisitor,
    created_at: day(n),
    subscription_id: 'sub_dodo_1',
    checkout_session_id: null,
  }),
);
const failed = dodoPayment({ ...withVisitor, created_at: day(6), status: 'failed' });
const outside = dodoPayment({ ...withVisitor, created_at: '2026-02-20T10:00:00.000Z' });
const partial = dodoRefund(usd, { created_at: day(7), amount: 1000, is_partial: true });
const full = dodoRefund(anonymous, { created_at: day(8) });
const payments = [outside, usd, jpy, kwd, anonymous, first, failed, ...renewals];

const expected: Stored[] = [
  {
    transaction_id: String(usd.payment_id),
    amount: 35.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
  },
  {
    transaction_id: String(jpy.payment_id),
    amount: 5000,
    currency: 'JPY',
    datafast_visitor_id: visitor,
  },
  {
    transaction_id: String(kwd.payment_id),
    amount: 1.5,
    currency: 'KWD',
    datafast_visitor_id: visitor,
  },
  {
    transaction_id: String(anonymous.payment_id),
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: null,
  },
  {
    transaction_id: String(first.payment_id),
    amount: 35.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
  },
  ...renewals.map((renewal) => ({
    transaction_id: String(renewal.payment_id),
    amount: 35.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
    renewal: true,
  })),
  {
    transaction_id: String(partial.refund_id),
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: visitor,
    refunded: true,
  },
  {
    transaction_id: String(full.refund_id),
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: null,
    refunded: true,
  },
];

describe('backfill dodo', () => {
  describeProvider({
    provider: 'dodo',
    apiKey: 'dodo_test_key',
    seed(api) {
      api.list('/payments', payments, 'dodo');
      api.list('/refunds', [partial, full], 'dodo');
      // A refund's visitor is read from its payment, as the webhook reads it.
      for (const payment of payments) api.set(`/payments/${String(payment.payment_id)}`, payment);
    },
    async deliver(api, datafast) {
      const webhook = dodoWebhook({
        secret: dodoWebhookSecret,
        apiKey: 'dodo_test_key',
        apiBase: api.url,
        datafast,
      });
      const events = [
        ...[usd, jpy, kwd, anonymous, first, ...renewals].map((p) =>
          dodoEvent('payment.succeeded', p),
        ),
        ...[partial, full].map((r) => dodoEvent('refund.succeeded', r)),
      ];
      for (const event of events) {
        const request = standardWebhookRequest('https://shop.example/api/webhooks/dodo', event, {
          secret: dodoWebhookSecret,
          secretEncoding: 'whsec',
        });
        expect((await webhook(request)).status).toBe(200);
      }
    },
    expected,
    counts: { found: expected.length, reported: expected.length, refunds: 2, unattributed: 1 },
    isFirstPage: (request) =>
      request.path === '/payments' &&
      request.query.page_number === '0' &&
      Boolean(request.query.created_at_gte),
  });
});
