import type { PaymentInput } from '@datafast-checkout/core';
import type { Deadline } from './deadline.js';
import { lookupFailure, lookupFailureKind } from './provider-api.js';
import type { EventMapping, PaymentReport, SubscriptionCharge } from './reports.js';

/**
 * The one renewal rule every provider follows: a charge is a renewal when its subscription had
 * an earlier paid charge (above zero). The first paid charge is new revenue, whether it comes at
 * checkout or after a free trial or a 100%-off first period, though providers flag it as a cycle.
 */

/** One charge of a subscription's history, as a provider's API lists it. */
export interface ChargeRecord {
  id: string | undefined;
  /** Paid (refunds and chargebacks later do not undo that it was paid). */
  paid: boolean;
  /** The amount charged, in minor units. */
  minor: bigint | undefined;
  /** When it was charged (ms since the epoch). */
  at: number | undefined;
}

/** True when `history` holds a paid charge above zero, other than `charge`, made before it. */
export function paidBefore(history: ChargeRecord[], charge: SubscriptionCharge): boolean {
  return history.some(
    (record) =>
      record.paid &&
      record.id !== charge.charge &&
      (record.minor ?? 0n) > 0n &&
      (record.at === undefined || charge.at === undefined || record.at <= charge.at),
  );
}

// A subscription's history is read page by page until an earlier paid charge turns up.
const maxPages = 20;

/**
 * Reads a subscription's history through `readPage` (from `first`, then each page's `next`)
 * until it finds a paid charge before `charge`, within the webhook's deadline.
 *
 * @example
 * hadPaidChargeIn(charge, 1, async (page) => ({ charges: …, next: page < last ? page + 1 : undefined }))
 */
export async function hadPaidChargeIn<Cursor>(
  charge: SubscriptionCharge,
  first: Cursor,
  readPage: (cursor: Cursor) => Promise<{ charges: ChargeRecord[]; next?: Cursor | undefined }>,
): Promise<boolean> {
  let cursor: Cursor | undefined = first;
  for (let page = 0; cursor !== undefined && page < maxPages; page++) {
    const { charges, next } = await readPage(cursor);
    if (paidBefore(charges, charge)) return true;
    cursor = next;
  }
  return false;
}

/** How {@link settleRenewals} reads a subscription's history. */
export interface RenewalLookup {
  /** Shown in messages: `Paddle`. */
  provider: string;
  /**
   * Whether the subscription had a paid charge before this one (one provider API read, or a
   * few pages of it); absent without API access, and then the event's own hint stands.
   */
  hadPaidCharge?:
    | ((charge: SubscriptionCharge, deadline: Deadline) => Promise<boolean>)
    | undefined;
  deadline: Deadline;
  /** Where a refused read goes (the event's own hint then stands). Default: a warning. */
  onError?: ((error: Error, payment?: PaymentInput) => void) | undefined;
}

/**
 * Applies the renewal rule to every report that names its subscription charge: `renewal: true`
 * when the subscription had an earlier paid charge, none otherwise. A read that fails throws a
 * lookup failure (a refused key a `WebhookConfigError`), so the webhook answers 503 and the
 * provider redelivers, rather than guess; an API that answers the request makes no sense to it
 * (400, 422) leaves the event's own hint, said to `onError`.
 *
 * @example
 * const mapping = await settleRenewals(mapPolarEvent(event), { provider: 'Polar', hadPaidCharge, deadline })
 */
export async function settleRenewals<Report extends PaymentReport<unknown>>(
  mapping: EventMapping<Report>,
  lookup: RenewalLookup,
): Promise<EventMapping<Report>> {
  const { hadPaidCharge, deadline, provider } = lookup;
  if ('ignored' in mapping || !hadPaidCharge) return mapping;
  const reports: Report[] = [];
  for (const report of mapping.reports) {
    const charge = report.subscriptionCharge;
    if (!charge) {
      reports.push(report);
      continue;
    }
    const { renewal: _hint, ...payment } = report.payment;
    let renewal: boolean;
    try {
      renewal = await hadPaidCharge(charge, deadline);
    } catch (error) {
      const what = `${provider} webhook: reading the charges of subscription ${charge.subscription} before ${charge.charge}`;
      if (lookupFailureKind(error) !== 'absent') throw lookupFailure(error, what, report.payment);
      const reason = error instanceof Error ? error.message : String(error);
      const keep = new Error(
        `${what} was refused (the event's own renewal flag stands): ${reason}`,
      );
      if (lookup.onError) lookup.onError(keep, report.payment);
      else console.warn(`[datafast-checkout] ${keep.message}`);
      reports.push(report);
      continue;
    }
    reports.push({ ...report, payment: renewal ? { ...payment, renewal: true } : payment });
  }
  return { ...mapping, reports };
}
