import type { Deadline } from '../deadline.js';
import type { Delivery } from '../delivery.js';
import { majorAmount, minorAmount, record } from '../fields.js';
import type { KeyedQueue } from '../memory.js';
import type { WebhookOutcome } from '../outcome.js';
import { getJson, lookupFailure, type ProviderApi } from '../provider-api.js';
import { attributeReports, type PaymentReport, reportOf } from '../reports.js';
import type { SharedStore } from '../store.js';
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

/**
 * Where the webhook remembers the largest refund total it recorded per object (minor units).
 *
 * @deprecated Pass `store` (a {@link SharedStore}) instead: its atomic `raise` keeps totals
 * racing on several instances right; `get` then `set` on this one cannot.
 */
export interface RefundTotals {
  get(key: string): number | undefined | Promise<number | undefined>;
  set(key: string, refundedMinor: number): unknown;
}

/** The largest refund total known per object: what {@link replaceRefundTotal} reads and raises. */
export interface KnownTotals {
  /** The largest total recorded for `key`, 0 when none. */
  get(key: string): Promise<bigint>;
  /** Records `refunded` unless a larger total is; resolves the largest. */
  raise(key: string, refunded: bigint): Promise<bigint>;
  /**
   * Whether a total is recorded before its record is replaced (an atomic store: the claim that
   * orders racing instances) or only once DataFast has it (the older `refundTotals` option).
   */
  raisesFirst: boolean;
}

// A refund total only needs remembering while LemonSqueezy may still redeliver the events of
// its object, or a later refund may race it: a year covers both.
const refundTotalTtlMs = 365 * 24 * 60 * 60_000;

/** {@link KnownTotals} on a {@link SharedStore}: `refund-total:<key>`, raised atomically. */
export function storeTotals(store: SharedStore): KnownTotals {
  const ttl = { ttlMs: refundTotalTtlMs };
  return {
    get: async (key) => BigInt((await store.get(`refund-total:${key}`)) ?? 0),
    raise: async (key, refunded) =>
      BigInt(await store.raise(`refund-total:${key}`, Number(refunded), ttl)),
    raisesFirst: true,
  };
}

/** {@link KnownTotals} on the deprecated `refundTotals` option, as it always behaved. */
export function legacyTotals(totals: RefundTotals): KnownTotals {
  const get = async (key: string) => BigInt((await totals.get(key)) ?? 0);
  return {
    get,
    raise: async (key, refunded) => {
      const known = await get(key);
      if (refunded <= known) return known;
      await totals.set(key, Number(refunded));
      return refunded;
    },
    raisesFirst: false,
  };
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
  totals: KnownTotals;
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
 * event's total is raised in the store first (atomically: instances sharing one see each other's
 * totals), an older total than the store's is ignored, and the store is read again once the
 * record is replaced, replacing it again if a larger total was raised meanwhile: instances
 * sharing a store end at the latest total as with the API.
 *
 * @example
 * return replaceRefundTotal(mapping.refundTotal, { api, totals, queue, deadline, delivery })
 */
export function replaceRefundTotal(
  total: LemonSqueezyRefundTotal,
  context: RefundContext,
): Promise<WebhookOutcome> {
  const { api, totals, deadline, delivery } = context;
  const bound = <T>(work: Promise<T>) => deadline.bound(work, `refund total of ${total.key}`);
  return context.queue.run(total.key, async () => {
    let refunded = total.refundedMinor;
    if (api) refunded = max(refunded, await currentTotal(api, total.key, deadline));
    else {
      const known = await bound(
        totals.raisesFirst ? totals.raise(total.key, refunded) : totals.get(total.key),
      );
      if (known > refunded) {
        return {
          ignored: `a larger refund total of ${total.key} (${known}) was already recorded; ${refunded} is an older one`,
        };
      }
    }
    for (let round = 1; ; round++) {
      const report = refundRecord(total, refunded);
      if (!report) return { ignored: `${total.key}: unusable refunded amount` };
      const payments = await attributeReports([report], { provider: 'LemonSqueezy', deadline });
      const reported = await delivery.replace(payments);
      if (!totals.raisesFirst) await bound(totals.raise(total.key, refunded));
      let now = 0n;
      if (round < maxRounds) {
        now = api
          ? await currentTotal(api, total.key, deadline)
          : await bound(totals.get(total.key));
      }
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
