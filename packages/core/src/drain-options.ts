import { DatafastValidationError, describeValue } from './errors.js';

/** Options of {@link Datafast.drain}. */
export interface DrainOptions {
  /**
   * The time budget: no new attempt starts after it, and the call resolves once the attempts in
   * flight settle (each bounded by `timeoutMs`). Keep it below the platform's function limit
   * minus one `timeoutMs`. Default 10 000 ms.
   */
  timeMs?: number;
  /** At most this many reports attempted in this call. Default: as many as the budget allows. */
  limit?: number;
}

/**
 * What {@link Datafast.drain} did: every report it attempted is counted once, in `delivered`,
 * `retried` or `gaveUp`.
 */
export interface DrainResult {
  /** Confirmed by DataFast (a duplicate `transaction_id` included) and removed from the outbox. */
  delivered: number;
  /**
   * Failed transiently (network, timeout, 408, 429, 5xx): left in the outbox, due again after a
   * retry delay, for the next drain or any process of the shared outbox.
   */
  retried: number;
  /**
   * Refused for good (another 4xx, bad input) or older than `maxAgeMs`: removed from the outbox,
   * each one reported to `onError` with its payment.
   */
  gaveUp: number;
  /**
   * Reports this drain took from the outbox but had no time (or `limit`) left to attempt: they
   * are due again once their lease lapses. The next page is read as soon as one is handed out,
   * so it is not `0` when the budget ran out with more due (unless it ran out just as a page was
   * read empty); call again soon when it is not `0`.
   */
  remaining: number;
}

/** `drain`'s options, checked: each a positive number when given. */
export function checkedDrainOptions(options: DrainOptions): { budgetMs: number; limit: number } {
  return {
    budgetMs: positive('timeMs', options.timeMs, 10_000),
    limit: positive('limit', options.limit, Number.POSITIVE_INFINITY),
  };
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new DatafastValidationError(
      field,
      `drain({ ${field} }) must be a positive number of ${field === 'timeMs' ? 'milliseconds' : 'reports'}, got ${describeValue(value)}`,
    );
  }
  return value;
}
