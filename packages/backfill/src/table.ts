import type { BackfillSummary, FoundPayment } from './summary.js';

/**
 * The dry run's table: one row per payment (date, id, amount, currency, what it is, attributed
 * or not), oldest first, then the totals per currency.
 */
export function paymentTable(found: FoundPayment[], summary: BackfillSummary): string {
  const rows = [...found]
    .sort((a, b) => time(a) - time(b))
    .map(({ payment, status }) => [
      payment.timestamp
        ? new Date(payment.timestamp).toISOString().slice(0, 16).replace('T', ' ')
        : '',
      payment.transaction_id,
      String(payment.amount),
      payment.currency.toUpperCase(),
      payment.refunded
        ? 'refund'
        : payment.renewal
          ? 'renewal'
          : payment.is_free_trial
            ? 'trial'
            : 'payment',
      payment.datafast_visitor_id ? 'yes' : 'no',
      ...(status === 'skipped' ? ['skipped (no visitor)'] : []),
    ]);
  const lines = columns([['date', 'id', 'amount', 'currency', 'kind', 'attributed'], ...rows]);
  const totals = Object.entries(summary.totals).map(([currency, t]) => [
    currency,
    String(t.payments),
    String(t.revenue),
    String(t.refunds),
    String(t.refunded),
    String(t.unattributedRevenue),
  ]);
  const totalLines = columns([
    ['currency', 'payments', 'revenue', 'refunds', 'refunded', 'unattributed revenue'],
    ...totals,
  ]);
  return [...lines, '', ...totalLines].join('\n');
}

function time({ payment }: FoundPayment): number {
  return payment.timestamp ? new Date(payment.timestamp).getTime() : 0;
}

function columns(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
