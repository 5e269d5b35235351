import type { PaymentInput } from '@datafast-checkout/core';
import {
  customerFields,
  type Json,
  minorAmount,
  moneyFields,
  record,
  text,
  timestampField,
  visitorIn,
} from '../fields.js';
import { type EventMapping, type PaymentReport, reportOf, single } from '../reports.js';
import { creemCurrencies } from './currencies.js';

/**
 * A Creem webhook as sent: `{ id, eventType, created_at, object }` (Creem's SDK also accepts
 * `type` and `data`), every field optional. https://docs.creem.io/code/webhooks
 */
export interface CreemEvent {
  id?: string;
  eventType?: string;
  type?: string;
  created_at?: number;
  object?: Json | null;
  data?: Json | null;
}

// The first paid period starts when the subscription is created (seconds apart in Creem's own
// samples); a renewal's period starts a billing cycle later. A day separates the two safely.
const firstPeriodSlackMs = 24 * 60 * 60 * 1000;

/**
 * Maps a verified Creem event (see the README's table). Pure and total.
 *
 * - `checkout.completed`: the order's charge under the id of the transaction that paid it
 *   (`tran_…`), the same id `subscription.paid` carries for a subscription's first charge, so the
 *   two count once; `amount_paid` (tax included, like refunds), never a renewal. When the order
 *   names neither (Creem's own sample), the webhook reads them first ({@link orderWithoutCharge});
 *   an order that charged nothing (a free trial) is reported at zero under the order id.
 * - `subscription.paid`: `last_transaction` (embedded, or read from the API by the webhook), a
 *   renewal unless the subscription had no earlier paid transaction (`subscriptionCharge`, read by
 *   the webhook; without the API, unless the paid period is the subscription's first).
 * - `refund.created`: each refund once, by its id; the visitor from the refund's checkout or
 *   subscription metadata (refunds carry none of their own).
 * - `dispute.created`: the chargeback (Creem takes the money back when a dispute opens) as a
 *   refund, by its `disp_…` id.
 *
 * @example
 * mapCreemEvent(event) // { reports: [{ payment: { amount: 12.1, currency: 'EUR', transaction_id: 'tran_…', … } }] }
 */
export function mapCreemEvent(event: CreemEvent): EventMapping<PaymentReport> {
  const type = text(event.eventType) ?? text(event.type) ?? '(no eventType)';
  const object = record(event.object) ?? record(event.data);
  if (!object) return { ignored: `${type} has no object` };
  switch (type) {
    case 'checkout.completed':
      return single(
        paymentFromCreemCheckout(object, event.created_at),
        orderWithoutCharge(object)
          ? 'checkout.completed: the order names no transaction or amount paid (read them with the API)'
          : 'checkout.completed: order not paid (or no amount)',
      );
    case 'subscription.paid':
      return single(subscriptionPayment(object), 'subscription.paid: nothing charged');
    case 'refund.created':
      return single(refundReport(object), 'refund.created: refund failed or has no amount');
    case 'dispute.created':
      return single(disputeReport(object), 'dispute.created: no amount or currency');
    default:
      return { ignored: `${type} is not a payment event` };
  }
}

/** Whether a `subscription.paid` object lacks the amount, so the transaction must be read. */
export function needsTransaction(event: CreemEvent): string | undefined {
  const type = text(event.eventType) ?? text(event.type);
  const object = record(event.object) ?? record(event.data);
  if (
    type !== 'subscription.paid' ||
    !object ||
    chargedMinor(record(object.last_transaction)) !== undefined
  ) {
    return undefined;
  }
  return text(object.last_transaction_id);
}

/**
 * The order of a completed checkout that charged something but does not name the transaction
 * that paid it, or what was paid (Creem's own sample gives only the pre-tax `amount`): the
 * webhook and the success page read them from Creem's API. `undefined` when nothing is missing,
 * or nothing was charged.
 */
export function orderWithoutCharge(checkout: Json): Json | undefined {
  const order = record(checkout.order);
  if (!order || (order.status !== undefined && order.status !== 'paid')) return undefined;
  if (chargedNothing(checkout, order)) return undefined;
  return text(order.transaction) && paidMinor(order) !== undefined ? undefined : order;
}

/**
 * The payment of a completed Creem checkout (a `checkout.completed` object, or
 * `GET /v1/checkouts`'s answer), or `null` when its order is not paid, or names no transaction
 * and amount paid ({@link orderWithoutCharge}: read them first). One that charged nothing (a
 * free trial, a 100%-off order) is reported at zero under its order id.
 *
 * @example
 * paymentFromCreemCheckout(checkout)
 */
export function paymentFromCreemCheckout(
  checkout: Json,
  createdAt?: unknown,
): PaymentReport | null {
  const order = record(checkout.order);
  if (!order || (order.status !== undefined && order.status !== 'paid')) return null;
  const zero = chargedNothing(checkout, order);
  if (!zero && orderWithoutCharge(checkout)) return null;
  const money = zero
    ? moneyFields(order.id, 0n, order.currency, creemCurrencies)
    : moneyFields(order.transaction, paidMinor(order), order.currency, creemCurrencies);
  if (!money) return null;
  const subscription = record(checkout.subscription);
  const payment: PaymentInput = {
    ...money,
    ...customer(checkout.customer),
    ...(text(order.created_at)
      ? timestampField(order.created_at)
      : timestampField(createdAt, 'milliseconds')),
  };
  if (payment.amount === 0) {
    const discounted =
      (minorAmount(order.discount_amount) ?? 0n) > 0n || record(checkout.discount) !== undefined;
    payment.is_free_trial =
      (subscription !== undefined || order.type === 'recurring') && !discounted;
  }
  return reportOf(payment, visitorIn([checkout.metadata, subscription?.metadata]));
}

function subscriptionPayment(subscription: Json): PaymentReport | null {
  const transaction = record(subscription.last_transaction);
  const id = text(subscription.last_transaction_id) ?? transaction?.id;
  const money = moneyFields(id, chargedMinor(transaction), transaction?.currency, creemCurrencies);
  if (!money?.amount) return null;
  const payment: PaymentInput = {
    ...money,
    ...customer(subscription.customer),
    ...timestampField(
      subscription.last_transaction_date ?? transaction?.created_at,
      'milliseconds',
    ),
  };
  // Creem flags no renewal. Without its API, the first charge is taken to be the period that
  // starts with the subscription; with it, settleRenewals reads the subscription's history.
  const created = Date.parse(String(subscription.created_at));
  const periodStart =
    typeof transaction?.period_start === 'number'
      ? transaction.period_start
      : Date.parse(String(subscription.current_period_start_date));
  if (
    Number.isFinite(created) &&
    Number.isFinite(periodStart) &&
    periodStart - created > firstPeriodSlackMs
  ) {
    payment.renewal = true;
  }
  const report = reportOf(payment, visitorIn([subscription.metadata]));
  const subscriptionId = text(subscription.id);
  if (!subscriptionId) return report;
  const customerId = text(record(subscription.customer)?.id) ?? text(subscription.customer);
  return {
    ...report,
    subscriptionCharge: {
      subscription: subscriptionId,
      charge: money.transaction_id,
      ...(typeof transaction?.created_at === 'number' ? { at: transaction.created_at } : {}),
      ...(customerId ? { customer: customerId } : {}),
    },
  };
}

function refundReport(refund: Json): PaymentReport | null {
  const money = moneyFields(
    refund.id,
    refund.refund_amount,
    refund.refund_currency,
    creemCurrencies,
  );
  const failed = refund.status === 'failed' || refund.status === 'canceled';
  if (failed) return null;
  const checkout = record(refund.checkout);
  return refundRecord(money, refund, [
    checkout?.metadata,
    record(refund.subscription)?.metadata,
    refund.metadata,
  ]);
}

// Creem charges a dispute back when it opens (its transaction turns `chargeback`, refunded in
// full) and sends no event when one is won: a chargeback, reported as a refund by its `disp_…` id.
function disputeReport(dispute: Json): PaymentReport | null {
  const money = moneyFields(dispute.id, dispute.amount, dispute.currency, creemCurrencies);
  return refundRecord(money, dispute, [
    record(dispute.checkout)?.metadata,
    record(dispute.subscription)?.metadata,
  ]);
}

/** A refund or a chargeback (`object`) of `money` as a record of its own, `refunded: true`. */
function refundRecord(
  money: ReturnType<typeof moneyFields>,
  object: Json,
  visitorSources: unknown[],
): PaymentReport | null {
  if (!money?.amount) return null;
  const payment: PaymentInput = {
    ...money,
    refunded: true,
    ...customer(object.customer ?? record(object.transaction)?.customer),
    ...timestampField(object.created_at, 'milliseconds'),
  };
  return reportOf(payment, visitorIn(visitorSources));
}

/**
 * What the customer paid for a transaction, tax included: `amount_paid`, else `amount_due`, else
 * (payloads that predate both) `amount` plus `tax_amount`.
 */
export function chargedMinor(money: Json | undefined): bigint | undefined {
  if (!money) return undefined;
  const paid = paidMinor(money);
  if (paid !== undefined) return paid;
  const amount = minorAmount(money.amount);
  return amount === undefined ? undefined : amount + (minorAmount(money.tax_amount) ?? 0n);
}

// What an order or transaction says was paid; its `amount` is before tax (and discounts).
function paidMinor(money: Json): bigint | undefined {
  return minorAmount(money.amount_paid) ?? minorAmount(money.amount_due);
}

// An order that charged nothing: zero paid or due, else a zero total, else a free trial (whose
// order may carry the product's price, nothing of it due).
function chargedNothing(checkout: Json, order: Json): boolean {
  const paid = paidMinor(order);
  if (paid !== undefined) return paid === 0n;
  const amount = minorAmount(order.amount);
  const total =
    amount === undefined
      ? undefined
      : amount + (minorAmount(order.tax_amount) ?? 0n) - (minorAmount(order.discount_amount) ?? 0n);
  if (total !== undefined && total <= 0n) return true;
  const trialPrice = minorAmount(record(checkout.product)?.trial_price) ?? 0n;
  return record(checkout.subscription)?.status === 'trialing' && trialPrice === 0n;
}

function customer(value: unknown) {
  const object = record(value);
  return customerFields(
    object ? { id: object.id, email: object.email, name: object.name } : { id: value },
  );
}
