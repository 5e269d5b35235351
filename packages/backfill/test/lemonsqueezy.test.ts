import { lemonSqueezyWebhook } from '@datafast-checkout/payment-links/lemonsqueezy';
import {
  lemonSqueezyEvent,
  lemonSqueezyInvoice,
  lemonSqueezyOrder,
  lemonSqueezyRequest,
  lemonSqueezyWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect } from 'vitest';
import { day, describeProvider, type Stored } from './helpers/scenario.js';

// Fixtures shaped after LemonSqueezy's order and subscription-invoice objects
// (internal/testing/src/lemonsqueezy-fixtures.ts). Its API returns no checkout `custom_data`, so
// the backfill reports unattributed; the webhooks carry the visitor.
const at = (n: number) => ({ created_at: day(n), updated_at: day(n) });
const usd = lemonSqueezyOrder({
  ...at(1),
  status: 'partial_refund',
  refunded_amount: 1000,
  refunded_at: day(6),
});
const jpy = lemonSqueezyOrder({ ...at(2), currency: 'JPY', subtotal: 5000, tax: 0, total: 5000 });
const kwd = lemonSqueezyOrder({ ...at(3), currency: 'KWD', subtotal: 1500, tax: 0, total: 1500 });
const refunded = lemonSqueezyOrder({
  ...at(4),
  subtotal: 1000,
  tax: 0,
  total: 1000,
  status: 'refunded',
  refunded: true,
  refunded_amount: 1000,
  refunded_at: day(7),
});
const first = lemonSqueezyOrder({ ...at(5) });
const invoice = (n: number, reason: string) =>
  lemonSqueezyInvoice({ ...at(n), subscription_id: 4321, billing_reason: reason });
const initial = invoice(5, 'initial');
const renewals = [15, 25].map((n) => invoice(n, 'renewal'));
const pending = lemonSqueezyOrder({ ...at(8), status: 'pending' });
const outside = lemonSqueezyOrder({ created_at: '2026-02-10T10:00:00.000000Z' });
const orders = [outside, usd, jpy, kwd, refunded, first, pending];

const unattributed = (id: unknown, amount: number, currency: string, extra = {}): Stored => ({
  transaction_id: String(id),
  amount,
  currency,
  datafast_visitor_id: null,
  ...extra,
});
const expected: Stored[] = [
  unattributed(`ls_order_${usd.id}`, 35.99, 'USD'),
  unattributed(`ls_order_${jpy.id}`, 5000, 'JPY'),
  unattributed(`ls_order_${kwd.id}`, 1.5, 'KWD'),
  unattributed(`ls_order_${refunded.id}`, 10, 'USD'),
  unattributed(`ls_order_${first.id}`, 35.99, 'USD'),
  ...renewals.map((r) => unattributed(`ls_invoice_${r.id}`, 35.99, 'USD', { renewal: true })),
  unattributed(`ls_order_${usd.id}_refund`, 10, 'USD', { refunded: true }),
  unattributed(`ls_order_${refunded.id}_refund`, 10, 'USD', { refunded: true }),
];
// The refund records are the order's current total, replaced by each delivery (the webhook's
// replacement carries its visitor); every other record stays as first recorded.
const expectedAfterWebhooks = expected.map((record) =>
  record.transaction_id === `ls_order_${usd.id}_refund`
    ? { ...record, datafast_visitor_id: visitor }
    : record,
);

describe('backfill lemonsqueezy', () => {
  describeProvider({
    provider: 'lemonsqueezy',
    apiKey: 'ls_test_api_key',
    seed(api) {
      api.list('/v1/orders', orders, 'lemonsqueezy');
      api.list('/v1/subscription-invoices', [initial, ...renewals], 'lemonsqueezy');
      for (const order of orders) api.set(`/v1/orders/${String(order.id)}`, { data: order });
    },
    async deliver(api, datafast) {
      const webhook = lemonSqueezyWebhook({
        secret: lemonSqueezyWebhookSecret,
        apiKey: 'ls_test_api_key',
        apiBase: api.url,
        datafast,
      });
      const carried = { datafast_visitor_id: visitor };
      const paid = (order: Record<string, unknown>) => ({
        ...order,
        attributes: { ...(order.attributes as object), status: 'paid', refunded_amount: 0 },
      });
      const events = [
        ...[usd, jpy, kwd, refunded, first].map((o) =>
          lemonSqueezyEvent('order_created', paid(o), carried),
        ),
        ...renewals.map((i) => lemonSqueezyEvent('subscription_payment_success', i, carried)),
        lemonSqueezyEvent('order_refunded', usd, carried),
        lemonSqueezyEvent('order_refunded', refunded),
      ];
      for (const event of events) {
        const request = lemonSqueezyRequest(
          'https://shop.example/api/webhooks/lemonsqueezy',
          event,
          {
            secret: lemonSqueezyWebhookSecret,
          },
        );
        expect((await webhook(request)).status).toBe(200);
      }
    },
    expected,
    expectedAfterWebhooks,
    // The two refund records are replaced (deleted, then recorded again), as the webhook does.
    secondRun: { reported: 2, duplicates: expected.length - 2 },
    counts: { found: expected.length, reported: expected.length, refunds: 2, unattributed: 7 },
    isFirstPage: (request) =>
      request.path === '/v1/orders' && request.query['page[number]'] === '1',
  });
});
