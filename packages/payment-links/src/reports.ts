import type { PaymentInput } from '@datafast-checkout/core';
import { attributePayment } from './attribution.js';
import type { Deadline } from './deadline.js';
import { timestampField } from './fields.js';
import { lookupFailure, lookupFailureKind } from './provider-api.js';

/**
 * One payment (or refund) that a provider object reports, before attribution. Pure data, so
 * the webhook and the success page turn it into a report the same way: one payment, one
 * `transaction_id`, whichever path sees it first.
 */
export interface PaymentReport<Lookup = never> {
  payment: PaymentInput;
  /** The visitor the object itself carried back from the checkout, if any. */
  carriedVisitorId?: string;
  /** Where the provider's API can find the visitor when the object carries none (a refund). */
  findVisitor?: Lookup;
  /**
   * A subscription charge the event alone cannot tell from the subscription's first paid one
   * (the first charge after a free trial looks like a renewal): `settleRenewals` asks the
   * provider's API. `payment.renewal` holds the event's own hint until then.
   */
  subscriptionCharge?: SubscriptionCharge;
}

/** A charge of a subscription, as the renewal rule looks it up in the subscription's history. */
export interface SubscriptionCharge {
  /** The provider's subscription id. */
  subscription: string;
  /** The provider's id of this charge (an invoice, order, transaction or payment id). */
  charge: string;
  /** When it was charged (ms since the epoch), when known: only earlier charges count. */
  at?: number;
  /** The customer, for providers whose API lists charges by customer (Creem). */
  customer?: string;
}

/**
 * What one event means: payments to report (and earlier reports it takes back, as the reports
 * they were: a chargeback the merchant won), or why it reports nothing (answered 200).
 */
export type EventMapping<Report> = { reports: Report[]; withdraw?: Report[] } | { ignored: string };

/**
 * A payment ready for DataFast, with the provider object a lookup read for it (a refund's
 * Checkout Session, order or payment), where website routing can find the checkout's metadata.
 */
export interface AttributedPayment {
  payment: PaymentInput;
  origin?: unknown;
}

/**
 * A report of `payment`: with the visitor it carried, else where to look it up, else neither.
 *
 * @example
 * reportOf(payment, visitorIn([order.metadata]), order.id && { orderId: order.id })
 */
export function reportOf<Lookup = never>(
  payment: PaymentInput,
  carriedVisitorId: string | undefined,
  findVisitor?: Lookup | undefined | false | '',
): PaymentReport<Lookup> {
  if (carriedVisitorId) return { payment, carriedVisitorId };
  return findVisitor ? { payment, findVisitor } : { payment };
}

/** What {@link chargeReport} reads of one charge of a provider (an order, transaction, invoice). */
export interface Charge<Lookup = never> {
  /** Its id, amount and currency (`moneyFields`); a charge without them is no payment. */
  money: Pick<PaymentInput, 'amount' | 'currency' | 'transaction_id'>;
  /** Its customer (`customerFields`). */
  customer: Pick<PaymentInput, 'customer_id' | 'email' | 'name'>;
  /** When it was charged, the payment's `timestamp`: an ISO date, or Unix seconds. */
  chargedAt: unknown;
  /**
   * When it was charged as the provider's history of the subscription dates its charges (ms
   * since the epoch; not finite when unknown), for the renewal rule. Default: `chargedAt` as
   * an ISO date.
   */
  at?: number;
  /** The visitor the charge carried back from the checkout. */
  visitorId: string | undefined;
  /** Where the provider's API can find the visitor when the charge carries none. */
  findVisitor?: Lookup | undefined | false | '';
  /** The subscription it belongs to, if any. */
  subscription: string | undefined;
  /** True for a charge of a subscription that already runs (a renewal, a plan change). */
  later: boolean;
  /** What a zero charge is: a free trial (not one a discount made zero). */
  freeTrial: boolean;
}

/**
 * The report of one paid charge, by the rule every provider's charges follow: a zero later
 * charge (a free period, a card update, a downgrade) charges nothing and is no payment; a zero
 * first charge is flagged `is_free_trial` as `freeTrial` says; a later charge of a subscription is
 * a renewal until `settleRenewals` finds no earlier paid charge (then it is the first after a
 * free trial: new revenue). An unreadable `chargedAt` is left out.
 *
 * @example
 * return chargeReport({ money, customer, chargedAt: order.created_at, visitorId, subscription, later, freeTrial })
 */
export function chargeReport<Lookup = never>(charge: Charge<Lookup>): PaymentReport<Lookup> | null {
  const { money, subscription, chargedAt } = charge;
  if (money.amount === 0 && charge.later) return null;
  const payment: PaymentInput = {
    ...money,
    ...charge.customer,
    ...timestampField(chargedAt),
  };
  if (payment.amount === 0) payment.is_free_trial = charge.freeTrial;
  const report = reportOf<Lookup>(payment, charge.visitorId, charge.findVisitor);
  if (!charge.later || !subscription) return report;
  const at = charge.at ?? Date.parse(String(chargedAt));
  return {
    ...report,
    payment: { ...payment, renewal: true },
    subscriptionCharge: {
      subscription,
      charge: payment.transaction_id,
      ...(Number.isFinite(at) ? { at } : {}),
    },
  };
}

/** The mapping of an event that reports `report`, or is ignored for `reason` when there is none. */
export function single<Report>(report: Report | null, reason: string): EventMapping<Report> {
  return report ? { reports: [report] } : { ignored: reason };
}

/** What a lookup found: the object it read (the payment's origin) and the visitor it carries. */
export interface FoundOrigin {
  visitorId?: string | undefined;
  origin?: unknown;
}

/** How {@link attributeReports} finds the visitor of a report that carries none. */
export interface VisitorLookup<Lookup> {
  /** Shown in messages: `Stripe`. */
  provider: string;
  /**
   * The provider API call: what it read, or `undefined` when the API answered that there is no
   * such object. Absent when no client or key is configured (reported unattributed).
   */
  find?: (lookup: Lookup, deadline: Deadline) => Promise<FoundOrigin | null | undefined>;
  deadline: Deadline;
  onError?: (error: Error, payment?: PaymentInput) => void;
}

/**
 * Attributes each report: the carried visitor, else one found through the provider's API. A
 * payment goes out unattributed only when nothing can be looked up (no API configured) or the
 * API answered that the object does not exist. A refused key throws a {@link WebhookConfigError}
 * and any other failure a {@link ProviderLookupError}: both are answered 5xx, so the provider
 * redelivers and the payment is recorded with its visitor once the API answers again.
 *
 * @example
 * const payments = await attributeReports(mapping.reports, { provider: 'Dodo Payments', find, deadline })
 */
export async function attributeReports<Lookup>(
  reports: PaymentReport<Lookup>[],
  context: VisitorLookup<Lookup>,
): Promise<AttributedPayment[]> {
  const payments: AttributedPayment[] = [];
  for (const report of reports) {
    const found = await lookUp(report);
    const payment = attributePayment(report.payment, {
      carried: report.carriedVisitorId ?? found?.visitorId,
    });
    payments.push(found?.origin === undefined ? { payment } : { payment, origin: found.origin });
  }
  return payments;

  async function lookUp(report: PaymentReport<Lookup>): Promise<FoundOrigin | null | undefined> {
    const { find, deadline, onError, provider } = context;
    if (report.carriedVisitorId || report.findVisitor === undefined || !find) return undefined;
    const id = report.payment.transaction_id;
    try {
      return await find(report.findVisitor, deadline);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (lookupFailureKind(error) !== 'absent') {
        throw lookupFailure(
          error,
          `${provider} webhook: looking up the visitor of ${id}`,
          report.payment,
        );
      }
      const absent = new Error(
        `the ${provider} API does not know where ${id} came from (reported unattributed): ${reason}`,
      );
      if (onError) onError(absent, report.payment);
      else console.warn(`[datafast-checkout] ${provider} webhook: ${absent.message}`);
      return undefined;
    }
  }
}
