import type { PaymentInput } from '@datafast-checkout/core';
import {
  customerFields,
  type Json,
  majorAmount,
  minorAmount,
  record,
  text,
  timestampField,
  visitorIn,
} from '../fields.js';
import type { EventMapping, PaymentReport } from '../reports.js';

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
 * charge: one-time, a subscription's first and its renewals (`renewal: true` for a subscription
 * charge made off-session, without a checkout session or payment link), under its `payment_id`,
 * the id Dodo's own DataFast connector uses, so running both counts each payment once;
 * `total_amount` (tax included) in the payment's own currency and minor unit (JPY none, KWD
 * three). A card update (`is_update_payment_method`) is not a payment. `refund.succeeded` reports
 * each refund by its `refund_id`.
 *
 * @example
 * mapDodoEvent(event) // { reports: [{ payment: { amount: 3213.56, currency: 'INR', transaction_id: 'pay_…', … } }] }
 */
export function mapDodoEvent(event: DodoEvent): EventMapping<DodoPaymentReport> {
  const type = text(event.type) ?? '(no type)';
  const data = record(event.data);
  if (!data) return { ignored: `${type} has no data` };
  switch (type) {
    case 'payment.succeeded': {
      if (data.is_update_payment_method === true) {
        return { ignored: 'payment.succeeded: a payment-method update, not a payment' };
      }
      const report = paymentFromDodoPayment(data);
      return report
        ? { reports: [report] }
        : { ignored: 'payment.succeeded: no amount or currency' };
    }
    case 'refund.succeeded': {
      const report = refundReport(data);
      return report
        ? { reports: [report] }
        : { ignored: 'refund.succeeded: no amount or currency' };
    }
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
  const id = text(payment.payment_id);
  const currency = text(payment.currency);
  const minor = minorAmount(payment.total_amount);
  const amount = minor === undefined ? undefined : majorAmount(minor, currency);
  const succeeded = payment.status === undefined || payment.status === 'succeeded';
  if (!id || !currency || amount === undefined || !succeeded) return null;
  const customer = record(payment.customer);
  const report: PaymentInput = {
    amount,
    currency,
    transaction_id: id,
    ...customerFields({ id: customer?.customer_id, email: customer?.email, name: customer?.name }),
    ...timestampField(payment.created_at),
  };
  const subscription =
    text(payment.subscription_id) ?? text((payment.subscription_ids as unknown[])?.[0]);
  const startedByCheckout = Boolean(
    text(payment.checkout_session_id) ?? text(payment.payment_link),
  );
  if (subscription && !startedByCheckout) report.renewal = true;
  if (amount === 0 && !report.renewal) {
    const discounted =
      (Array.isArray(payment.discounts) && payment.discounts.length > 0) ||
      Boolean(text(payment.discount_id));
    report.is_free_trial = Boolean(subscription) && !discounted;
  }
  const carried = visitorIn([payment.metadata]);
  return carried ? { payment: report, carriedVisitorId: carried } : { payment: report };
}

function refundReport(refund: Json): DodoPaymentReport | null {
  const id = text(refund.refund_id);
  const currency = text(refund.currency);
  const minor = minorAmount(refund.amount);
  const amount = minor === undefined ? undefined : majorAmount(minor, currency);
  if (
    !id ||
    !currency ||
    !amount ||
    (refund.status !== undefined && refund.status !== 'succeeded')
  ) {
    return null;
  }
  const customer = record(refund.customer);
  const payment: PaymentInput = {
    amount,
    currency,
    transaction_id: id,
    refunded: true,
    ...customerFields({ id: customer?.customer_id, email: customer?.email, name: customer?.name }),
    ...timestampField(refund.created_at),
  };
  const carried = visitorIn([refund.metadata]);
  const paymentId = text(refund.payment_id);
  if (carried) return { payment, carriedVisitorId: carried };
  return paymentId ? { payment, findVisitor: { paymentId } } : { payment };
}
