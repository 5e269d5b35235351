import type { PaymentInput } from '@datafast-checkout/core';
import {
  customerFields,
  type Json,
  minorAmount,
  moneyFields,
  record,
  text,
  timestampField,
} from '../fields.js';
import {
  chargeReport,
  type EventMapping,
  type PaymentReport,
  reportOf,
  single,
} from '../reports.js';
import { visitorInPolarMetadata } from './carriers.js';
import { polarCurrencies } from './currencies.js';

/**
 * A Polar webhook as sent (`{ type, timestamp, data }`), every field optional.
 * https://polar.sh/docs/integrate/webhooks/events
 */
export interface PolarEvent {
  type?: string;
  timestamp?: string;
  data?: Json | null;
}

/** A Polar report; a refund names its order, where the API can find the visitor. */
export type PolarPaymentReport = PaymentReport<{ orderId: string }>;

/**
 * Maps a verified Polar event (see the README's table): `order.paid` reports the order (its id,
 * `total_amount`), a subscription's `subscription_cycle` and `subscription_update` orders as
 * renewals unless `settleRenewals` finds no earlier paid order, a zero first order as a trial
 * unless a discount made it zero, and no zero cycle or update order; `refund.created` / `refund.updated` report each
 * succeeded refund once, by its id, with its tax (`amount` + `tax_amount`, as `total_amount`
 * includes tax). `order.created` is not a payment yet: Polar says to wait for `order.paid`.
 *
 * @example
 * mapPolarEvent(event) // { reports: [{ payment: { amount: 29.99, currency: 'usd', transaction_id: order.id, … } }] }
 */
export function mapPolarEvent(event: PolarEvent): EventMapping<PolarPaymentReport> {
  const type = text(event.type) ?? '(no type)';
  const data = record(event.data);
  if (!data) return { ignored: `${type} has no data` };
  switch (type) {
    case 'order.paid':
      return single(paymentFromPolarOrder(data), `order.paid: ${whyNotReported(data)}`);
    case 'order.created':
      return { ignored: 'order.created: reported on order.paid, once the order is paid' };
    case 'refund.created':
    case 'refund.updated':
      return single(refundReport(data), `${type}: refund not succeeded (yet)`);
    default:
      return { ignored: `${type} is not a payment event` };
  }
}

/**
 * The payment of a paid Polar order (a webhook's `data` or an order from the API), or `null`
 * when it is not paid.
 *
 * @example
 * paymentFromPolarOrder(order)
 */
export function paymentFromPolarOrder(order: Json): PolarPaymentReport | null {
  const money = moneyFields(order.id, order.total_amount, order.currency, polarCurrencies);
  if (!money || (order.paid !== true && order.status !== 'paid')) return null;
  const subscription = text(order.subscription_id) ?? text(record(order.subscription)?.id);
  const customer = record(order.customer);
  return chargeReport({
    money,
    customer: customerFields({
      id: order.customer_id ?? customer?.id,
      email: customer?.email,
      name: customer?.name ?? order.billing_name,
    }),
    chargedAt: order.created_at,
    visitorId: visitorInPolarMetadata(order.metadata, record(order.subscription)?.metadata),
    subscription,
    // A zero cycle or update order (a 100%-off period, a downgrade) charges nothing: no payment.
    later: Boolean(subscription) && laterReasons.includes(String(order.billing_reason)),
    freeTrial:
      order.billing_reason === 'subscription_create' &&
      !((minorAmount(order.discount_amount) ?? 0n) > 0n),
  });
}

// The orders of a subscription that already started; its first is `subscription_create`.
const laterReasons = ['subscription_cycle', 'subscription_update'];

function whyNotReported(order: Json): string {
  if (order.paid !== true && order.status !== 'paid') return 'order not paid';
  if (minorAmount(order.total_amount) === 0n)
    return `a zero ${String(order.billing_reason)} order charges nothing`;
  return 'no total or currency';
}

function refundReport(refund: Json): PolarPaymentReport | null {
  const net = minorAmount(refund.amount);
  const tax = minorAmount(refund.tax_amount) ?? 0n;
  const money = moneyFields(
    refund.id,
    net === undefined ? undefined : net + tax,
    refund.currency,
    polarCurrencies,
  );
  if (refund.status !== 'succeeded' || !money?.amount) return null;
  const payment: PaymentInput = {
    ...money,
    refunded: true,
    ...customerFields({ id: refund.customer_id }),
    ...timestampField(refund.created_at),
  };
  const orderId = text(refund.order_id);
  return reportOf(payment, visitorInPolarMetadata(refund.metadata), orderId && { orderId });
}
