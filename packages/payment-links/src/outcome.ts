import { type RenewalLookup, settleRenewals } from './renewals.js';
import {
  type AttributedPayment,
  attributeReports,
  type EventMapping,
  type PaymentReport,
  type VisitorLookup,
} from './reports.js';

/** What a provider made of one verified event. */
export type WebhookOutcome =
  /**
   * Payments to record, each with what a lookup read for it (for website routing), and earlier
   * records to take back once they are in (a chargeback the provider reversed), by their
   * `transaction_id`, routed like the payment they were.
   */
  | { payments: AttributedPayment[]; withdraw?: AttributedPayment[] }
  /** Payments the provider already delivered itself through the `Delivery` (their ids). */
  | { reported: string[] }
  /** Not a payment event (or not yet paid): answered 200 with the reason. */
  | { ignored: string };

/** How {@link outcomeOf} settles renewals and finds visitors: the provider's API reads, if any. */
export type OutcomeLookups<Lookup> = VisitorLookup<Lookup> & Pick<RenewalLookup, 'hadPaidCharge'>;

/**
 * What a webhook answers for a mapped event, as every provider's `<provider>EventPayments`
 * makes it: the reason it reports nothing, or its payments, with the renewal rule applied
 * (`settleRenewals`, through `hadPaidCharge`) and each attributed (`attributeReports`, through
 * `find`).
 *
 * @example
 * return outcomeOf(mapPolarEvent(event), { provider: 'Polar', hadPaidCharge, find, deadline, onError })
 */
export async function outcomeOf<Lookup>(
  mapping: EventMapping<PaymentReport<Lookup>>,
  lookups: OutcomeLookups<Lookup>,
): Promise<WebhookOutcome> {
  const settled = await settleRenewals(mapping, lookups);
  if ('ignored' in settled) return settled;
  const payments = await attributeReports(settled.reports, lookups);
  // Withdrawn records are attributed as they were, so each is routed to its website again.
  return settled.withdraw
    ? { payments, withdraw: await attributeReports(settled.withdraw, lookups) }
    : { payments };
}
