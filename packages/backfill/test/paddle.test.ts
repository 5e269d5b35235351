import { paddleWebhook } from '@datafast-checkout/payment-links/paddle';
import {
  paddleEvent,
  paddleRefund,
  paddleRequest,
  paddleTransaction,
  paddleWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect } from 'vitest';
import { day, describeProvider, type Stored } from './helpers/scenario.js';

// Fixtures shaped after Paddle's transaction and adjustment objects
// (internal/testing/src/paddle-fixtures.ts). Paddle lists no three-decimal currency (its table,
// payment-links' paddle/currencies.ts).
const withVisitor = { custom_data: { datafast_visitor_id: visitor } };
const at = (n: number) => ({ created_at: day(n), billed_at: day(n) });
const usd = paddleTransaction({ ...withVisitor, ...at(1) });
const jpy = paddleTransaction(
  { ...withVisitor, ...at(2) },
  { currency: 'JPY', subtotal: '5000', tax: '0' },
);
const anonymous = paddleTransaction({ ...at(3) }, { subtotal: '1000', tax: '0' });
const first = paddleTransaction({ ...withVisitor, ...at(4), subscription_id: 'sub_paddle_1' });
const renewals = [14, 24].map((n) =>
  paddleTransaction({
    ...withVisitor,
    ...at(n),
    subscription_id: 'sub_paddle_1',
    origin: 'subscription_recurring',
  }),
);
const outside = paddleTransaction({ ...withVisitor, created_at: '2026-02-10T10:00:00.000Z' });
const partial = paddleRefund(
  usd,
  { type: 'partial', created_at: day(5), updated_at: day(5) },
  '1000',
);
const full = paddleRefund(anonymous, { created_at: day(6), updated_at: day(6) }, '1000');
const transactions = [outside, usd, jpy, anonymous, first, ...renewals];

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

describe('backfill paddle', () => {
  describeProvider({
    provider: 'paddle',
    apiKey: 'pdl_sdbx_apikey_test',
    seed(api) {
      api.list('/transactions', transactions, 'paddle');
      api.list('/adjustments', [partial, full], 'paddle');
      for (const transaction of transactions) {
        api.set(`/transactions/${String(transaction.id)}`, { data: transaction });
      }
    },
    async deliver(api, datafast) {
      const webhook = paddleWebhook({
        secret: paddleWebhookSecret,
        apiKey: 'pdl_sdbx_apikey_test',
        apiBase: api.url,
        datafast,
      });
      const events = [
        ...[usd, jpy, anonymous, first, ...renewals].map((t) =>
          paddleEvent('transaction.completed', t),
        ),
        ...[partial, full].map((r) => paddleEvent('adjustment.created', r)),
      ];
      for (const event of events) {
        const request = paddleRequest('https://shop.example/api/webhooks/paddle', event, {
          secrets: [paddleWebhookSecret],
        });
        expect((await webhook(request)).status).toBe(200);
      }
    },
    expected,
    counts: { found: expected.length, reported: expected.length, refunds: 2, unattributed: 1 },
    isFirstPage: (request) =>
      request.path === '/transactions' &&
      !request.query.after &&
      Boolean(request.query['created_at[GTE]']),
  });
});
