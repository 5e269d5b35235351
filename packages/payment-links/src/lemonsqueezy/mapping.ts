import type { PaymentInput } from '@datafast-checkout/core';
import {
  customerFields,
  idText,
  type Json,
  majorAmount,
  minorAmount,
  moneyFields,
  record,
  text,
  timestampField,
  visitorIn,
} from '../fields.js';
import { type EventMapping, type PaymentReport, reportOf, single } from '../reports.js';
import { lemonSqueezyCurrencies } from './currencies.js';

/**
 * A LemonSqueezy webhook as sent: `meta` (event name, the checkout's `custom_data`) and a
 * JSON:API resource, an order or a subscription invoice. Read defensively, every field optional.
 * https://docs.lemonsqueezy.com/help/webhooks/webhook-requests
 */
export interface LemonSqueezyEvent {
  meta?: {
    event_name?: string;
    custom_data?: Record<string, unknown> | null;
    test_mode?: boolean;
  } | null;
  data?: { type?: string; id?: string | number; attributes?: Json | null } | null;
}

/**
 * A refund as LemonSqueezy reports it: the order's or invoice's cumulative `refunded_amount`,
 * with no refund id. The webhook makes it the object's one refund record (see `refundRecord`),
 * replacing the record of the previous total.
 */
export interface LemonSqueezyRefundTotal {
  /** The refunded object, `ls_order_<id>` or `ls_invoice_<id>`: the prefix of every refund record's id. */
  key: string;
  /** The cumulative refunded amount, in minor units. */
  refundedMinor: bigint;
  /** The refund record without amount and id: currency, customer, timestamp. */
  payment: Omit<PaymentInput, 'amount' | 'transaction_id'>;
  carriedVisitorId?: string;
}

/** What one LemonSqueezy event means. */
export type LemonSqueezyEventMapping =
  | EventMapping<PaymentReport>
  | { refundTotal: LemonSqueezyRefundTotal };

/**
 * Maps a verified LemonSqueezy event (see the README's table). Pure and total: what cannot be
 * read is ignored with a reason, never thrown.
 *
 * - `order_created` (paid): the order, `ls_order_<id>`, `total` (tax included);
 * - `subscription_payment_success` / `_recovered` (paid): renewal and plan-change invoices,
 *   `ls_invoice_<id>`, `renewal: true` unless `settleRenewals` finds no earlier paid invoice (the
 *   first charge after a free trial); the `initial` invoice is the same money as its
 *   `order_created` and is left to it;
 * - `order_refunded`, `subscription_payment_refunded`: the cumulative `refunded_amount`.
 *
 * @example
 * mapLemonSqueezyEvent(event) // { reports: [{ payment: { amount: 29.99, transaction_id: 'ls_order_1', … } }] }
 */
export function mapLemonSqueezyEvent(event: LemonSqueezyEvent): LemonSqueezyEventMapping {
  const name = text(event.meta?.event_name) ?? '(no event_name)';
  const id = idText(event.data?.id);
  const attributes = record(event.data?.attributes);
  if (!id || !attributes) return { ignored: `${name} has no data` };
  const carried = visitorIn([event.meta?.custom_data]);
  const currency = text(attributes.currency);

  switch (name) {
    case 'order_created': {
      const payment = paymentFromLemonSqueezyOrder(id, attributes);
      return single(
        payment && reportOf(payment, carried),
        'order_created: order not paid (or no total)',
      );
    }
    case 'subscription_payment_success':
    case 'subscription_payment_recovered': {
      if (attributes.billing_reason === 'initial') {
        return { ignored: `${name}: the initial invoice is the order that order_created reports` };
      }
      if (attributes.status !== 'paid') return { ignored: `${name}: invoice not paid` };
      const payment = paymentOf(`ls_invoice_${id}`, attributes);
      if (!payment || payment.amount === 0) return { ignored: `${name}: nothing charged` };
      // A renewal (or plan change) until settleRenewals finds no earlier paid invoice: the
      // first charge after a free trial.
      payment.renewal = true;
      const subscription = idText(attributes.subscription_id);
      const at = Date.parse(String(attributes.created_at));
      const charge = subscription && {
        subscription,
        charge: id,
        ...(Number.isFinite(at) ? { at } : {}),
      };
      return {
        reports: [
          { ...reportOf(payment, carried), ...(charge ? { subscriptionCharge: charge } : {}) },
        ],
      };
    }
    case 'order_refunded':
    case 'subscription_payment_refunded': {
      if (name === 'subscription_payment_refunded' && attributes.billing_reason === 'initial') {
        return { ignored: `${name}: refunds of the first charge are reported by order_refunded` };
      }
      const refundedMinor = minorAmount(attributes.refunded_amount);
      if (!refundedMinor || !currency) return { ignored: `${name}: no refunded amount` };
      const key = `ls_${name === 'order_refunded' ? 'order' : 'invoice'}_${id}`;
      const payment = {
        currency,
        refunded: true,
        ...customerOf(attributes),
        ...timestampField(attributes.refunded_at ?? attributes.updated_at),
      };
      const refundTotal = { key, refundedMinor, payment };
      return { refundTotal: carried ? { ...refundTotal, carriedVisitorId: carried } : refundTotal };
    }
    default:
      return { ignored: `${name} is not a payment event` };
  }
}

/**
 * The refund record for a cumulative total, given what was already reported for the same
 * object: the increment as its amount, and `<key>_refund_<cumulative minor units>` as its id;
 * `null` when the total was already reported.
 *
 * @deprecated Only right when `reportedMinor` is known, which no process knows for sure (another
 * instance, a restart): the webhook now uses `refundRecord`, one record per object holding its
 * whole total and replaced when the total grows.
 *
 * @example
 * refundIncrement(total, 1500n) // 25.00 refunded in all, 15.00 before: { amount: 10, transaction_id: 'ls_order_1_refund_2500', … }
 */
export function refundIncrement(
  total: LemonSqueezyRefundTotal,
  reportedMinor: bigint,
): PaymentReport | null {
  if (total.refundedMinor <= reportedMinor) return null;
  const amount = majorAmount(
    total.refundedMinor - reportedMinor,
    total.payment.currency,
    lemonSqueezyCurrencies,
  );
  if (amount === undefined) return null;
  const payment = {
    ...total.payment,
    amount,
    transaction_id: `${total.key}_refund_${total.refundedMinor}`,
  } as PaymentInput;
  return reportOf(payment, total.carriedVisitorId);
}

/**
 * The payment of a paid LemonSqueezy order (the `attributes` of a webhook's order or of
 * `GET /v1/orders/:id`), `ls_order_<id>`, or `null` when it is not paid. A zero order is a free
 * trial unless a discount made it zero.
 *
 * @example
 * paymentFromLemonSqueezyOrder(order.data.id, order.data.attributes)
 */
export function paymentFromLemonSqueezyOrder(
  orderId: string,
  attributes: Json,
): PaymentInput | null {
  if (attributes.status !== 'paid') return null;
  const payment = paymentOf(`ls_order_${orderId}`, attributes);
  if (payment?.amount === 0) payment.is_free_trial = isTrialOrder(attributes);
  return payment ?? null;
}

function paymentOf(transactionId: string, attributes: Json): PaymentInput | undefined {
  const money = moneyFields(
    transactionId,
    attributes.total,
    attributes.currency,
    lemonSqueezyCurrencies,
  );
  return money && { ...money, ...customerOf(attributes), ...timestampField(attributes.created_at) };
}

function customerOf(attributes: Json) {
  return customerFields({
    id: attributes.customer_id,
    email: attributes.user_email,
    name: attributes.user_name,
  });
}

// A zero order is a free trial when its item has a price that was neither charged nor
// discounted; a 100%-off coupon (a discount) or a free product (price 0) is a purchase at zero.
function isTrialOrder(attributes: Json): boolean {
  const discount = minorAmount(attributes.discount_total) ?? 0n;
  const price = minorAmount(record(attributes.first_order_item)?.price) ?? 0n;
  return discount === 0n && price > 0n;
}
