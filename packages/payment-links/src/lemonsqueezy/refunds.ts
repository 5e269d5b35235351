import type { Delivery } from '../delivery.js';
import { majorAmount, minorAmount, record } from '../fields.js';
import type { KeyedQueue } from '../memory.js';
import { getJson, lookupFailure, type ProviderApi } from '../provider-api.js';
import { attributeReports, type PaymentReport, reportOf } from '../reports.js';
import type { Deadline, WebhookOutcome } from '../webhook.js';
import { lemonSqueezyCurrencies } from './currencies.js';
import type { LemonSqueezyRefundTotal } from './mapping.js';

/**
 * LemonSqueezy reports refunds as a cumulative `refunded_amount` on the order or invoice, with no
 * refund id, so a refund record cannot be the difference from the last total without knowing
 * that total (which only a process that saw it knows). Instead each refunded object has one
 * refund record, `<key>_refund`, whose amount is the whole total: a new total replaces it
 * (DataFast's DELETE by `transaction_id`, then POST). Each report is then a function of one
 * total, right on any instance, after any restart, with no shared store.
 */

/** Where the webhook remembers the largest refund total it recorded per object (minor units). */
export interface RefundTotals {
  get(key: string): number | undefined | Promise<number | undefined>;
  set(key: string, refundedMinor: number): unknown;
}

/**
 * The refund record of a refunded order or invoice: `<key>_refund`, its whole refunded total
 * (`refundedMinor`, default the event's) as the amount, or `null` when the amount is unusable.
 *
 * @example
 * refundRecord(total) // 25.00 refunded in all: { amount: 25, transaction_id: 'ls_order_1_refund', refunded: true, … }
 */
export function refundRecord(
  total: LemonSqueezyRefundTotal,
  refundedMinor: bigint = total.refundedMinor,
): PaymentReport | null {
  const amount = majorAmount(refundedMinor, total.payment.currency, lemonSqueezyCurrencies);
  if (amount === undefined || refundedMinor <= 0n) return null;
  return reportOf(
    { ...total.payment, amount, transaction_id: `${total.key}_refund` },
    total.carriedVisitorId,
  );
}

/** What {@link replaceRefundTotal} works with. */
export interface RefundContext {
  /** The API, to read the current total; without it the event's total is used. */
  api: ProviderApi | undefined;
  refundTotals: RefundTotals;
  /** Serialises the work on one object in this process. */
  queue: KeyedQueue;
  deadline: Deadline;
  delivery: Delivery;
}

// A total read again after replacing it: if it grew meanwhile, at most this many more rounds.
const maxRounds = 3;

/**
 * Replaces the refund record of `total`'s object with the current total. With an API key the
 * current total is read from LemonSqueezy (never smaller than the event's), and read again once
 * the record is replaced, replacing it again if it grew meanwhile: whatever the order in which
 * events reach however many instances, the record ends at the latest total. Without one, the
 * event's total is used, unless this process (or `refundTotals`, when shared) already recorded a
 * larger one: an older total redelivered after a newer one is ignored.
 *
 * @example
 * return replaceRefundTotal(mapping.refundTotal, { api, refundTotals, queue, deadline, delivery })
 */
export function replaceRefundTotal(
  total: LemonSqueezyRefundTotal,
  context: RefundContext,
): Promise<WebhookOutcome> {
  const { api, refundTotals, deadline, delivery } = context;
  return context.queue.run(total.key, async () => {
    const known = BigInt((await refundTotals.get(total.key)) ?? 0);
    let refunded = total.refundedMinor;
    if (api) refunded = max(refunded, await currentTotal(api, total.key, deadline));
    else if (known > refunded) {
      return {
        ignored: `a larger refund total of ${total.key} (${known}) was already recorded; ${refunded} is an older one`,
      };
    }
    for (let round = 1; ; round++) {
      const report = refundRecord(total, refunded);
      if (!report) return { ignored: `${total.key}: unusable refunded amount` };
      const payments = await attributeReports([report], { provider: 'LemonSqueezy', deadline });
      const reported = await delivery.replace(payments);
      if (refunded > BigInt((await refundTotals.get(total.key)) ?? 0)) {
        await refundTotals.set(total.key, Number(refunded));
      }
      const now = api && round < maxRounds ? await currentTotal(api, total.key, deadline) : 0n;
      if (now <= refunded) return { reported };
      refunded = now;
    }
  });
}

/**
 * The object's `refunded_amount` now, from `GET /v1/orders/:id` or
 * `GET /v1/subscription-invoices/:id`; 0 when LemonSqueezy does not know it (another mode). A
 * failed read throws: the webhook answers 5xx and LemonSqueezy redelivers.
 */
async function currentTotal(api: ProviderApi, key: string, deadline: Deadline): Promise<bigint> {
  const [, kind, id] = /^ls_(order|invoice)_(.+)$/.exec(key) ?? [];
  if (!kind || !id) return 0n;
  const path = `/v1/${kind === 'order' ? 'orders' : 'subscription-invoices'}/${encodeURIComponent(id)}`;
  const found = await getJson(api, path, {}, deadline).catch((error: unknown) => {
    throw lookupFailure(error, `LemonSqueezy webhook: reading the refunded total of ${key}`);
  });
  const object = record(found?.data);
  return minorAmount(record(object?.attributes)?.refunded_amount) ?? 0n;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
