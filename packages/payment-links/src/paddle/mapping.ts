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
import { visitorInPaddleCustomData } from './carriers.js';
import { paddleCurrencies } from './currencies.js';

/**
 * A Paddle Billing notification as sent (`{ event_id, event_type, occurred_at, data }`), every
 * field optional. https://developer.paddle.com/webhooks/overview
 */
export interface PaddleEvent {
  event_id?: string;
  event_type?: string;
  occurred_at?: string;
  data?: Json | null;
}

/** A Paddle report; a refund names its transaction, where the API finds the custom data. */
export type PaddlePaymentReport = PaymentReport<{ transactionId: string }>;

/**
 * Maps a verified Paddle event (see the README's table): `transaction.completed` and
 * `transaction.paid` report the transaction once (its `txn_…` id), its `grand_total` (a string
 * of minor units, read exactly); a subscription's later transactions (`subscription_recurring`,
 * ...) as renewals unless `settleRenewals` finds no earlier paid one; a zero first transaction as
 * a free trial unless a discount made it zero (paid trials are ordinary payments), and no zero
 * transaction of a running subscription (a card update). `adjustment.created` and
 * `adjustment.updated` report each refund once it is `approved`, by its `adj_…` id, and each
 * chargeback as a refund (`<txn>_chargeback`), taken back when Paddle reverses it.
 *
 * @example
 * mapPaddleEvent(event) // { reports: [{ payment: { amount: 29.99, currency: 'USD', transaction_id: 'txn_…', … } }] }
 */
export function mapPaddleEvent(event: PaddleEvent): EventMapping<PaddlePaymentReport> {
  const type = text(event.event_type) ?? '(no event_type)';
  const data = record(event.data);
  if (!data) return { ignored: `${type} has no data` };
  switch (type) {
    case 'transaction.completed':
    case 'transaction.paid':
      return single(paymentFromPaddleTransaction(data), `${type}: ${whyNotReported(data)}`);
    case 'adjustment.created':
    case 'adjustment.updated':
      return adjustmentMapping(type, data);
    default:
      return { ignored: `${type} is not a payment event` };
  }
}

/**
 * The payment of a paid Paddle transaction (a webhook's `data`, or `GET /transactions/:id`'s),
 * or `null` when it is not paid or completed.
 *
 * @example
 * paymentFromPaddleTransaction(transaction)
 */
export function paymentFromPaddleTransaction(transaction: Json): PaddlePaymentReport | null {
  const totals = record(record(transaction.details)?.totals);
  const money = moneyFields(
    transaction.id,
    totals?.grand_total ?? totals?.total,
    transaction.currency_code,
    paddleCurrencies,
  );
  const paid = transaction.status === 'paid' || transaction.status === 'completed';
  if (!money || !paid) return null;
  const subscription = text(transaction.subscription_id);
  return chargeReport({
    money,
    customer: customerFields({ id: transaction.customer_id }),
    chargedAt: transaction.billed_at ?? transaction.created_at,
    visitorId: visitorInPaddleCustomData(transaction.custom_data),
    subscription,
    // Zero transactions Paddle makes for a subscription that already runs (a card update, a free
    // period, a zero proration) are bookkeeping, not payments.
    later: !startsSubscription(transaction),
    freeTrial: Boolean(subscription) && !((minorAmount(totals?.discount) ?? 0n) > 0n),
  });
}

// A checkout (`web`) or an API-created transaction starts what it sells; every other origin
// (`subscription_recurring`, `subscription_update`, `subscription_charge`,
// `subscription_payment_method_change`) belongs to a subscription that already runs.
function startsSubscription(transaction: Json): boolean {
  return transaction.origin === undefined || ['web', 'api'].includes(String(transaction.origin));
}

function whyNotReported(transaction: Json): string {
  if (transaction.status !== 'paid' && transaction.status !== 'completed') {
    return 'transaction not paid';
  }
  if (!startsSubscription(transaction)) {
    return `a zero ${String(transaction.origin)} transaction charges nothing`;
  }
  return 'no total or currency';
}

/**
 * Refunds and chargebacks are adjustments of a transaction. A refund is reported by its id once
 * approved; a chargeback as a refund by its transaction (`<txn>_chargeback`: a card payment is
 * charged back once), taken back when Paddle reverses it (a `chargeback_reverse`, or the
 * chargeback turning `reversed`), since the merchant won the dispute. Credits to a balance, and
 * chargeback warnings, move no money back.
 */
function adjustmentMapping(type: string, adjustment: Json): EventMapping<PaddlePaymentReport> {
  const transactionId = text(adjustment.transaction_id);
  const approved = adjustment.status === 'approved';
  switch (adjustment.action) {
    case 'refund':
      return single(
        approved ? adjustmentReport(adjustment, adjustment.id) : null,
        `${type}: refund not approved (yet)`,
      );
    case 'chargeback': {
      const chargeback = transactionId && adjustmentReport(adjustment, chargebackId(transactionId));
      if (chargeback && adjustment.status === 'reversed')
        return { reports: [], withdraw: [chargeback] };
      return single(approved ? chargeback || null : null, `${type}: chargeback not approved (yet)`);
    }
    case 'chargeback_reverse': {
      // The chargeback's record, as it was reported, so it is taken back where it went.
      const chargeback = transactionId && adjustmentReport(adjustment, chargebackId(transactionId));
      if (!approved || !chargeback) {
        return { ignored: `${type}: chargeback reversal not approved (yet)` };
      }
      return { reports: [], withdraw: [chargeback] };
    }
    default:
      return { ignored: `${type}: a ${String(adjustment.action)} adjustment moves no money back` };
  }
}

/** The `transaction_id` of a transaction's chargeback: `<txn id>_chargeback`. */
function chargebackId(transactionId: string): string {
  return `${transactionId}_chargeback`;
}

function adjustmentReport(adjustment: Json, id: unknown): PaddlePaymentReport | null {
  const money = moneyFields(
    id,
    record(adjustment.totals)?.total,
    adjustment.currency_code,
    paddleCurrencies,
  );
  if (!money?.amount) return null;
  const payment: PaymentInput = {
    ...money,
    refunded: true,
    ...customerFields({ id: adjustment.customer_id }),
    ...timestampField(adjustment.updated_at ?? adjustment.created_at),
  };
  const transactionId = text(adjustment.transaction_id);
  return reportOf(payment, undefined, transactionId && { transactionId });
}
