import type { PaymentInput } from '@datafast-checkout/core';
import {
  customerFields,
  type Json,
  moneyFields,
  record,
  text,
  timestampField,
  visitorIn,
} from '../fields.js';
import {
  chargeReport,
  type EventMapping,
  type PaymentReport,
  reportOf,
  single,
} from '../reports.js';
import { dodoCurrencies } from './currencies.js';

/**
 * A Dodo Payments webhook as sent (`{ business_id, type, timestamp, data }`), every field
 * optional. https://docs.dodopayments.com/developer-resources/webhooks
 */
export interface DodoEvent {
  business_id?: string;
  type?: string;
  timestamp?: string;
  data?: Json | null;
}

/** A Dodo report; a refund names its payment, where the API finds the visitor. */
export type DodoPaymentReport = PaymentReport<{ paymentId: string }>;

/**
 * Maps a verified Dodo Payments event (see the README's table). `payment.succeeded` covers every
 * charge: one-time, a subscription's first and its renewals (a subscription charge made
 * off-session, without a checkout session or payment link, unless `settleRenewals` finds no
 * earlier paid charge: the first after a free trial; none at zero), under its `payment_id`,
 * the id Dodo's own DataFast connector uses, so running both counts each payment once;
 * `total_amount` (tax included) in the payment's own currency and minor unit (JPY none, KWD
 * three). A card update (`is_update_payment_method`) is not a payment. `refund.succeeded` reports
 * each refund by its `refund_id`, `dispute.lost` (and `dispute.accepted`) a chargeback as a
 * refund by its `dispute_id`.
 *
 * @example
 * mapDodoEvent(event) // { reports: [{ payment: { amount: 3213.56, currency: 'INR', transaction_id: 'pay_…', … } }] }
 */
export function mapDodoEvent(event: DodoEvent): EventMapping<DodoPaymentReport> {
  const type = text(event.type) ?? '(no type)';
  const data = record(event.data);
  if (!data) return { ignored: `${type} has no data` };
  switch (type) {
    case 'payment.succeeded':
      if (data.is_update_payment_method === true) {
        return { ignored: 'payment.succeeded: a payment-method update, not a payment' };
      }
      return single(paymentFromDodoPayment(data), `payment.succeeded: ${whyNotReported(data)}`);
    case 'refund.succeeded':
      return single(refundReport(data), 'refund.succeeded: no amount or currency');
    case 'dispute.lost':
    case 'dispute.accepted':
      return single(lostDisputeReport(data), `${type}: no amount or currency`);
    case 'dispute.opened':
    case 'dispute.challenged':
    case 'dispute.won':
    case 'dispute.cancelled':
    case 'dispute.expired':
      return {
        ignored: `${type}: a dispute is reported once, as a refund, when it is lost or accepted`,
      };
    default:
      return { ignored: `${type} is not a payment event` };
  }
}

/**
 * The payment of a succeeded Dodo payment (a webhook's `data` or `GET /payments/:id`), or `null`
 * when it has not succeeded.
 *
 * @example
 * paymentFromDodoPayment(payment)
 */
export function paymentFromDodoPayment(payment: Json): DodoPaymentReport | null {
  const money = moneyFields(
    payment.payment_id,
    payment.total_amount,
    payment.currency,
    dodoCurrencies,
  );
  const succeeded = payment.status === undefined || payment.status === 'succeeded';
  if (!money || !succeeded) return null;
  const subscription =
    text(payment.subscription_id) ?? text((payment.subscription_ids as unknown[])?.[0]);
  const discounted =
    (Array.isArray(payment.discounts) && payment.discounts.length > 0) ||
    Boolean(text(payment.discount_id));
  return chargeReport({
    money,
    customer: customerOf(payment),
    chargedAt: payment.created_at,
    visitorId: visitorIn([payment.metadata]),
    subscription,
    // A zero off-session charge (a free period) charges nothing: no payment.
    later: Boolean(subscription) && !startedByCheckout(payment),
    freeTrial: Boolean(subscription) && !discounted,
  });
}

// A subscription's first charge goes through a checkout session or a payment link; later ones
// are made off-session.
function startedByCheckout(payment: Json): boolean {
  return Boolean(text(payment.checkout_session_id) ?? text(payment.payment_link));
}

function whyNotReported(payment: Json): string {
  if (payment.status !== undefined && payment.status !== 'succeeded') return 'not succeeded';
  if (payment.total_amount === 0) return 'a zero off-session charge charges nothing';
  return 'no amount or currency';
}

function refundReport(refund: Json): DodoPaymentReport | null {
  const money = moneyFields(refund.refund_id, refund.amount, refund.currency, dodoCurrencies);
  const succeeded = refund.status === undefined || refund.status === 'succeeded';
  if (!money?.amount || !succeeded) return null;
  const payment: PaymentInput = {
    ...money,
    refunded: true,
    ...customerOf(refund),
    ...timestampField(refund.created_at),
  };
  const paymentId = text(refund.payment_id);
  return reportOf(payment, visitorIn([refund.metadata]), paymentId && { paymentId });
}

// A lost (or accepted, which loses it) dispute: a chargeback, reported as a refund by its
// `dispute_id`. Its `amount` is a string: digits are minor units, as every Dodo amount; a
// decimal is read as written.
function lostDisputeReport(dispute: Json): DodoPaymentReport | null {
  const written = text(dispute.amount);
  const decimal = written && /^\d+\.\d+$/.test(written) ? Number(written) : undefined;
  const money = moneyFields(
    dispute.dispute_id,
    decimal === undefined ? written : 0n,
    dispute.currency,
    dodoCurrencies,
  );
  const amount = decimal ?? money?.amount;
  if (!money || amount === undefined || amount <= 0) return null;
  const payment: PaymentInput = {
    ...money,
    amount,
    refunded: true,
    ...timestampField(dispute.created_at),
  };
  const paymentId = text(dispute.payment_id);
  return reportOf(payment, undefined, paymentId && { paymentId });
}

function customerOf(object: Json) {
  const customer = record(object.customer);
  return customerFields({
    id: customer?.customer_id,
    email: customer?.email,
    name: customer?.name,
  });
}
