import { creemWebhook } from '@datafast-checkout/payment-links/creem';
import {
  creemCheckout,
  creemEvent,
  creemRequest,
  creemSubscription,
  creemTestApiKey,
  creemTransaction,
  creemWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect } from 'vitest';
import { day, describeProvider, type Stored } from './helpers/scenario.js';

// Fixtures shaped after Creem's transaction and subscription objects
// (internal/testing/src/creem-fixtures.ts). Creem charges EUR and USD only (payment-links'
// creem/currencies.ts), and lists no refunds: its refunds are its webhook's alone.
const ms = (n: number) => Date.parse(day(n));
const subscription = creemSubscription({
  id: 'sub_creem_backfill',
  created_at: day(3),
  current_period_start_date: day(3),
  metadata: { datafast_visitor_id: visitor },
});
const eur = creemTransaction({ created_at: ms(1), subscription: null, type: 'payment' });
const usd = creemTransaction({
  created_at: ms(2),
  subscription: null,
  type: 'payment',
  currency: 'USD',
  amount: 1000,
  tax_amount: 0,
  amount_paid: 1000,
});
// Refunded since: it was paid, and is reported as the payment it was.
const refundedLater = creemTransaction({
  created_at: ms(4),
  subscription: null,
  type: 'payment',
  status: 'refunded',
  refunded_amount: 1210,
});
const charge = (n: number) =>
  creemTransaction({
    created_at: ms(n),
    subscription: subscription.id,
    period_start: ms(n),
    period_end: ms(n + 30),
  });
const first = charge(3);
const renewals = [13, 23].map(charge);
const outside = creemTransaction({ created_at: Date.parse('2026-02-10T10:00:00.000Z') });
const transactions = [outside, eur, usd, first, refundedLater, ...renewals];

const expected: Stored[] = [
  { transaction_id: String(eur.id), amount: 12.1, currency: 'EUR', datafast_visitor_id: null },
  { transaction_id: String(usd.id), amount: 10, currency: 'USD', datafast_visitor_id: null },
  {
    transaction_id: String(refundedLater.id),
    amount: 12.1,
    currency: 'EUR',
    datafast_visitor_id: null,
  },
  { transaction_id: String(first.id), amount: 12.1, currency: 'EUR', datafast_visitor_id: visitor },
  ...renewals.map((renewal) => ({
    transaction_id: String(renewal.id),
    amount: 12.1,
    currency: 'EUR',
    datafast_visitor_id: visitor,
    renewal: true,
  })),
];

describe('backfill creem', () => {
  describeProvider({
    provider: 'creem',
    apiKey: creemTestApiKey,
    seed(api) {
      api.list('/v1/transactions/search', transactions, 'creem');
      api.set('/v1/subscriptions', subscription, { subscription_id: String(subscription.id) });
      for (const transaction of transactions) {
        api.set('/v1/transactions', transaction, { transaction_id: String(transaction.id) });
      }
    },
    async deliver(api, datafast) {
      const webhook = creemWebhook({
        secret: creemWebhookSecret,
        apiKey: creemTestApiKey,
        apiBase: api.url,
        datafast,
      });
      const checkout = (transaction: Record<string, unknown>) =>
        creemCheckout(
          {},
          {
            order: {
              id: transaction.order,
              transaction: transaction.id,
              amount_paid: transaction.amount_paid,
              currency: transaction.currency,
            },
            metadata: { datafast_visitor_id: visitor },
          },
        );
      const events = [
        ...[eur, usd, refundedLater].map((t) => creemEvent('checkout.completed', checkout(t))),
        ...[first, ...renewals].map((t) =>
          creemEvent('subscription.paid', {
            ...subscription,
            last_transaction_id: t.id,
            last_transaction: t,
            last_transaction_date: t.created_at,
          }),
        ),
      ];
      for (const event of events) {
        const request = creemRequest('https://shop.example/api/webhooks/creem', event, {
          secret: creemWebhookSecret,
        });
        expect((await webhook(request)).status).toBe(200);
      }
    },
    expected,
    counts: { found: expected.length, reported: expected.length, refunds: 0, unattributed: 3 },
    isFirstPage: (request) =>
      request.path === '/v1/transactions/search' &&
      request.query.page_number === '1' &&
      !request.query.customer_id,
  });
});
