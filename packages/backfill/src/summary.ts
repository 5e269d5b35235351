import type { PaymentInput } from '@datafast-checkout/core';
import type { SkipReason } from './source.js';

/** One payment the backfill found, as the table shows it and the summary counts it. */
export interface FoundPayment {
  payment: PaymentInput;
  /** `reported` (new in DataFast), `duplicate` (already there), `listed` (a dry run), `failed`, `skipped`. */
  status: 'reported' | 'duplicate' | 'listed' | 'failed' | 'skipped';
  /** The failure, or why it was skipped. */
  reason?: string;
}

/** Totals of one currency: what was found, refunded, and found without a visitor. */
export interface CurrencyTotals {
  payments: number;
  revenue: number;
  refunds: number;
  refunded: number;
  unattributedRevenue: number;
}

/**
 * What a backfill did, as `--json` prints it. Amounts are major units, summed per currency
 * (never across currencies).
 */
export interface BackfillSummary {
  provider: string;
  since: string;
  until: string;
  dryRun: boolean;
  /** Objects the provider listed in the range (each one event of its webhook). */
  listed: number;
  /** Distinct payments and refunds those objects report (by `transaction_id`). */
  found: number;
  /** Newly recorded by DataFast. */
  reported: number;
  /** Already in DataFast (its answer to a re-posted `transaction_id`). */
  duplicates: number;
  refunds: number;
  /** Payments (not refunds) without a visitor, and their share of the revenue per currency (0 to 1). */
  unattributed: number;
  unattributedShare: Record<string, number>;
  /** Listed objects that report nothing, by reason, and the reasons given. */
  skipped: Record<SkipReason, number>;
  skippedReasons: string[];
  failed: number;
  /** One line per failure: the object or payment, and why. Never an API key. */
  failures: string[];
  /** What the webhook's lookups said along the way (a visitor the API does not know). */
  warnings: string[];
  /** Pages read, and whether this run continued an interrupted one. */
  pages: number;
  resumed: boolean;
  /** Every listing read to its end. */
  complete: boolean;
  totals: Record<string, CurrencyTotals>;
  durationMs: number;
}

/** An empty summary for a run. */
export function emptySummary(
  fields: Pick<BackfillSummary, 'provider' | 'since' | 'until' | 'dryRun'>,
): BackfillSummary {
  return {
    ...fields,
    listed: 0,
    found: 0,
    reported: 0,
    duplicates: 0,
    refunds: 0,
    unattributed: 0,
    unattributedShare: {},
    skipped: { 'test mode': 0, 'zero-value': 0, unpaid: 0, 'no visitor': 0, other: 0 },
    skippedReasons: [],
    failed: 0,
    failures: [],
    warnings: [],
    pages: 0,
    resumed: false,
    complete: false,
    totals: {},
    durationMs: 0,
  };
}

/** Adds one found payment to the summary's counts and per-currency totals. */
export function countPayment(summary: BackfillSummary, found: FoundPayment): void {
  const { payment, status } = found;
  if (status === 'skipped') {
    summary.skipped['no visitor'] += 1;
    return;
  }
  summary.found += 1;
  if (status === 'reported') summary.reported += 1;
  if (status === 'duplicate') summary.duplicates += 1;
  if (status === 'failed') {
    summary.failed += 1;
    summary.failures.push(`${payment.transaction_id}: ${found.reason ?? 'failed'}`);
  }
  const currency = payment.currency.toUpperCase();
  const totals = summary.totals[currency] ?? {
    payments: 0,
    revenue: 0,
    refunds: 0,
    refunded: 0,
    unattributedRevenue: 0,
  };
  summary.totals[currency] = totals;
  if (payment.refunded) {
    summary.refunds += 1;
    totals.refunds += 1;
    totals.refunded = round(totals.refunded + payment.amount);
    return;
  }
  totals.payments += 1;
  totals.revenue = round(totals.revenue + payment.amount);
  if (!payment.datafast_visitor_id) {
    summary.unattributed += 1;
    totals.unattributedRevenue = round(totals.unattributedRevenue + payment.amount);
  }
  summary.unattributedShare[currency] =
    totals.revenue > 0 ? round(totals.unattributedRevenue / totals.revenue) : 0;
}

/** Why a mapping reported nothing, as one of the summary's reasons. */
export function skipReasonOf(ignored: string): SkipReason {
  if (/test mode|livemode/i.test(ignored)) return 'test mode';
  if (/zero|nothing charged|charges nothing|no refunded amount|not a first charge/i.test(ignored)) {
    return 'zero-value';
  }
  if (/not paid|unpaid|not succeeded|not approved|pending|failed|not yet|\(yet\)/i.test(ignored)) {
    return 'unpaid';
  }
  return 'other';
}

// Sums of major units stay exact to the smallest minor unit any currency has (4 decimals).
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * The summary as one line: `found 12 · reported 9 · already in DataFast 2 · refunds 2 ·
 * unattributed 1 (8% of USD revenue) · skipped 3 (2 unpaid, 1 zero-value) · failed 1`.
 */
export function summaryLine(summary: BackfillSummary): string {
  const shares = Object.entries(summary.unattributedShare)
    .filter(([, share]) => share > 0)
    .map(([currency, share]) => `${Math.round(share * 1000) / 10}% of ${currency} revenue`);
  const skippedTotal = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const skipped = Object.entries(summary.skipped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${reason}`);
  const parts = [
    `found ${summary.found}`,
    summary.dryRun ? 'reported 0 (dry run)' : `reported ${summary.reported}`,
    `already in DataFast ${summary.duplicates}`,
    `refunds ${summary.refunds}`,
    `unattributed ${summary.unattributed}${shares.length ? ` (${shares.join(', ')})` : ''}`,
    `skipped ${skippedTotal}${skipped.length ? ` (${skipped.join(', ')})` : ''}`,
    `failed ${summary.failed}`,
  ];
  return parts.join(' · ');
}
