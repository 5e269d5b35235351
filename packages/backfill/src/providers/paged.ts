import type { Json } from '@datafast-checkout/payment-links/backfill';
import type { ListedEvent, ListedPage, TimeRange } from '../source.js';

/** True when `value` (an ISO date, or seconds/ms since the epoch per `unit`) lies in `range`. */
export function inRange(value: unknown, range: TimeRange, unit: 'iso' | 'ms' = 'iso'): boolean {
  const at = unit === 'ms' ? Number(value) : Date.parse(String(value));
  return Number.isFinite(at) && at >= range.since.getTime() && at < range.until.getTime();
}

/**
 * A page of a page-numbered list (`page`, `page_number`, JSON:API `page[number]`): its objects
 * in `range` as events, and the next page number while the provider says there is one.
 */
export function numberedPage(
  items: Json[],
  cursor: string | undefined,
  hasNext: boolean,
  toEvents: (item: Json) => ListedEvent[],
): ListedPage {
  const page = Number(cursor ?? '1');
  return {
    events: items.flatMap(toEvents),
    next: hasNext && items.length > 0 ? String(page + 1) : undefined,
  };
}
