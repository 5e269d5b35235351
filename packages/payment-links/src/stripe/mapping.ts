import { type PaymentInput, toMajorUnits } from '@datafast-checkout/core';
import { customerFields, timestampField } from '../fields.js';
import { chargeReport, type EventMapping, type PaymentReport, reportOf } from '../reports.js';
import { visitorInMetadata, visitorInSession } from './carriers.js';
import { stripeCurrencies } from './currencies.js';
import type {
  ChargeLike,
  CheckoutSessionLike,
  DisputeLike,
  Expandable,
  InvoiceLike,
  RefundLike,
  StripeEventLike,
} from './types.js';

/**
 * One payment (or refund) that a Stripe object reports, before attribution; `findVisitor` says
 * where a Stripe client can find the visitor when the object carries none: the Checkout Session
 * that created this subscription or payment.
 */
export type StripePaymentReport = PaymentReport<StripeVisitorLookup>;

/** The Checkout Session to look for: by subscription, or by PaymentIntent (a refund's). */
export interface StripeVisitorLookup {
  subscription?: string;
  paymentIntent?: string;
}

/** What one event means: payments to report, or why it reports nothing. */
export type StripeEventMapping = EventMapping<StripePaymentReport>;

/**
 * Maps a verified Stripe event to the payments it reports. Pure, total (never throws on odd
 * shapes: what cannot be read is ignored with a reason), and the same for every API version.
 * See the README's mapping table.
 *
 * @example
 * mapStripeEvent(event) // { reports: [{ payment: { amount: 29.99, currency: 'usd', transaction_id: 'pi_1', ... } }] }
 */
export function mapStripeEvent(event: StripeEventLike): StripeEventMapping {
  const type = event.type ?? '(no type)';
  const object = event.data?.object;
  if (typeof object !== 'object' || object === null) return { ignored: `${type} has no object` };
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const report = paymentFromCheckoutSession(object as CheckoutSessionLike, event.created);
      return report
        ? { reports: [report] }
        : { ignored: `${type}: session not paid yet (or in setup mode)` };
    }
    case 'invoice.paid': {
      const report = paymentFromInvoice(object as InvoiceLike);
      return report
        ? { reports: [report] }
        : { ignored: 'invoice.paid: a zero-amount invoice that is not a first charge' };
    }
    case 'refund.created':
    case 'refund.updated':
    case 'charge.refund.updated': {
      const report = refundReport(object as RefundLike, undefined);
      return report ? { reports: [report] } : { ignored: `${type}: refund not succeeded (yet)` };
    }
    case 'charge.refunded': {
      // Older API versions list the charge's refunds here; each keeps its own refund id, so the
      // refund.* events of newer endpoints can never count one twice.
      const charge = object as ChargeLike;
      const reports = (charge.refunds?.data ?? []).flatMap(
        (refund) => refundReport(refund, charge) ?? [],
      );
      return reports.length > 0
        ? { reports }
        : { ignored: 'charge.refunded: no succeeded refund listed (refund.* events report them)' };
    }
    case 'charge.dispute.closed': {
      const report = lostDisputeReport(object as DisputeLike, event.created);
      return report
        ? { reports: [report] }
        : { ignored: `${type}: the dispute was not lost (or has no amount)` };
    }
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated':
      return {
        ignored: `${type}: a dispute is reported once, as a refund, when charge.dispute.closed says it was lost`,
      };
    default:
      return { ignored: `${type} is not a payment event` };
  }
}

/**
 * A lost dispute (a chargeback) as a refund record: the dispute's id (`du_…`) and disputed
 * amount. Only `charge.dispute.closed` with `status: lost` reports it: the funds Stripe withdraws
 * when a dispute opens come back if it is won, so nothing is counted before it is final.
 */
function lostDisputeReport(dispute: DisputeLike, closedAt?: number): StripePaymentReport | null {
  const { id, amount: minor, currency } = dispute;
  if (dispute.status !== 'lost' || !id || typeof minor !== 'number' || minor <= 0 || !currency) {
    return null;
  }
  return refundRecord(
    { id, minor, currency, at: closedAt ?? dispute.created },
    visitorInMetadata(dispute.metadata),
    idOf(dispute.payment_intent),
  );
}

/**
 * The payment a Checkout Session reports, or `null` when it is not paid (`payment_status`
 * `unpaid`: an async payment method still pending) or in setup mode. Its `transaction_id` is
 * the session's invoice (a subscription's first invoice, which `invoice.paid` reports with the
 * same id), else its PaymentIntent, else the session id.
 *
 * @example
 * paymentFromCheckoutSession(await stripe.checkout.sessions.retrieve(id))
 */
export function paymentFromCheckoutSession(
  session: CheckoutSessionLike,
  createdAt?: number,
): StripePaymentReport | null {
  if (session.mode === 'setup' || session.payment_status === 'unpaid') return null;
  if (session.status != null && session.status !== 'complete') return null;
  const id = idOf(session.invoice) ?? idOf(session.payment_intent) ?? session.id;
  const { amount_total: minor, currency } = session;
  if (!id || typeof minor !== 'number' || !currency) return null;
  const payment: PaymentInput = {
    amount: toMajorUnits(minor, currency, { convention: stripeCurrencies }),
    currency,
    transaction_id: id,
    ...customerFields({
      id: idOf(session.customer),
      email: session.customer_details?.email,
      name: session.customer_details?.name,
    }),
    ...timestampField(createdAt),
  };
  if (minor === 0) {
    // A subscription that starts at zero without a discount is a trial; a 100%-off coupon (or
    // a free one-off product) is a purchase at zero.
    payment.is_free_trial =
      session.mode === 'subscription' && !((session.total_details?.amount_discount ?? 0) > 0);
  }
  // The session is where carriers start: no other object can know more about its visitor.
  const carried = visitorInSession(session);
  return carried ? { payment, carriedVisitorId: carried } : { payment };
}

/**
 * The payment an `invoice.paid` invoice reports: a subscription's later invoices (a cycle, an
 * upgrade) carry `renewal: true` until `settleRenewals` finds no earlier paid invoice (the first
 * charge after a free trial); a zero first invoice is a trial (or, with a discount, a 100%-off
 * purchase); other zero invoices report nothing. Reads the subscription under `parent.subscription_details` (API
 * 2025-03-31 and later) and under `subscription`/`subscription_details` (before).
 */
export function paymentFromInvoice(invoice: InvoiceLike): StripePaymentReport | null {
  const { id, amount_paid: minor, currency, billing_reason: reason } = invoice;
  if (!id || typeof minor !== 'number' || !currency) return null;
  const details = invoice.parent?.subscription_details;
  const subscription = idOf(details?.subscription) ?? idOf(invoice.subscription);
  const firstCharge = reason === 'subscription_create';
  const discounted = (invoice.total_discount_amounts ?? []).some((d) => (d.amount ?? 0) > 0);
  return chargeReport({
    money: {
      amount: toMajorUnits(minor, currency, { convention: stripeCurrencies }),
      currency,
      transaction_id: id,
    },
    customer: customerFields({
      id: idOf(invoice.customer),
      email: invoice.customer_email,
      name: invoice.customer_name,
    }),
    chargedAt: invoice.status_transitions?.paid_at ?? invoice.created,
    // As `hadPaidInvoice` dates the subscription's invoices.
    at: invoice.created ? invoice.created * 1000 : Number.NaN,
    visitorId:
      visitorInMetadata(details?.metadata) ??
      visitorInMetadata(invoice.subscription_details?.metadata) ??
      visitorInMetadata(invoice.metadata),
    // A payment link's subscription carries the visitor on its Checkout Session only.
    findVisitor: subscription && { subscription },
    subscription,
    // Any later charge of a subscription is a renewal if an earlier one was paid: the first
    // `subscription_cycle` after a free trial is not (settleRenewals reads the invoices).
    later: !firstCharge,
    freeTrial: Boolean(subscription) && !discounted,
  });
}

/** A succeeded refund as its own record: the refund's id and amount, `refunded: true`. */
function refundReport(
  refund: RefundLike,
  charge: ChargeLike | undefined,
): StripePaymentReport | null {
  const { id, amount: minor, currency } = refund;
  if (
    refund.status !== 'succeeded' ||
    !id ||
    typeof minor !== 'number' ||
    minor <= 0 ||
    !currency
  ) {
    return null;
  }
  return refundRecord(
    { id, minor, currency, at: refund.created, customer: charge?.customer },
    visitorInMetadata(refund.metadata) ?? visitorInMetadata(charge?.metadata),
    idOf(refund.payment_intent) ?? idOf(charge?.payment_intent),
  );
}

/**
 * A refund, or a lost dispute (a chargeback), as a record of its own: its id and amount,
 * `refunded: true`, with the visitor it carries, else its PaymentIntent's Checkout Session to
 * look up.
 */
function refundRecord(
  refund: { id: string; minor: number; currency: string; at?: number; customer?: Expandable },
  carried: string | undefined,
  paymentIntent: string | undefined,
): StripePaymentReport {
  const payment: PaymentInput = {
    amount: toMajorUnits(refund.minor, refund.currency, { convention: stripeCurrencies }),
    currency: refund.currency,
    transaction_id: refund.id,
    refunded: true,
    ...customerFields({ id: idOf(refund.customer) }),
    ...timestampField(refund.at),
  };
  return reportOf(payment, carried, paymentIntent && { paymentIntent });
}

/** The id of an expandable field (a string, or an expanded object). */
export function idOf(value: Expandable): string | undefined {
  if (typeof value === 'string') return value || undefined;
  return typeof value?.id === 'string' && value.id ? value.id : undefined;
}
