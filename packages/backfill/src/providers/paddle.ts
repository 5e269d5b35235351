import {
  type Json,
  paddleApi,
  paddleEventPayments,
  record,
} from '@datafast-checkout/payment-links/backfill';
import { objects, readPage } from '../pages.js';
import type { Listing, ProviderSource, TimeRange } from '../source.js';
import { inRange } from './paged.js';

/**
 * Paddle Billing: transactions `status=completed,paid` with `created_at[GTE]`/`[LT]` as
 * `transaction.completed` (https://developer.paddle.com/api-reference/transactions/list-transactions),
 * and adjustments (refunds, chargebacks) as `adjustment.created`
 * (https://developer.paddle.com/api-reference/adjustments/list-adjustments; no date filter:
 * outside the range dropped here). Cursor pages: `after` the last id while
 * `meta.pagination.has_more` (https://developer.paddle.com/api-reference/about/pagination).
 * 429 comes with `Retry-After` (https://developer.paddle.com/api-reference/about/rate-limiting).
 */
export const paddleSource: ProviderSource = {
  name: 'paddle',
  label: 'Paddle',
  keyEnv: 'PADDLE_API_KEY',
  baseEnv: 'PADDLE_API_BASE',
  api: (apiKey, apiBase) =>
    paddleApi({ apiKey, apiBase }) as NonNullable<ReturnType<typeof paddleApi>>,
  listings: (api) => {
    const list = (
      name: string,
      path: string,
      type: string,
      filter: (range: TimeRange) => Record<string, string>,
    ): Listing => ({
      name,
      async page(cursor, range, { retry, pageSize }) {
        const query = {
          ...filter(range),
          per_page: String(pageSize ?? 200),
          ...(cursor ? { after: cursor } : {}),
        };
        const body = await readPage(api, path, query, retry);
        const items = objects(body.data);
        const more = record(record(body.meta)?.pagination)?.has_more === true;
        return {
          events: items
            .filter((item: Json) => inRange(item.created_at, range))
            .map((item) => ({
              id: String(item.id),
              event: {
                event_id: `backfill_${String(item.id)}`,
                event_type: type,
                occurred_at: item.created_at,
                data: item,
              },
            })),
          next: more ? items.at(-1)?.id?.toString() : undefined,
        };
      },
    });
    return [
      list('transactions', '/transactions', 'transaction.completed', (range) => ({
        status: 'completed,paid',
        'created_at[GTE]': range.since.toISOString(),
        'created_at[LT]': range.until.toISOString(),
      })),
      list('adjustments', '/adjustments', 'adjustment.created', () => ({
        action: 'refund,chargeback,chargeback_reverse',
      })),
    ];
  },
  payments: (apiKey, apiBase, onError) => paddleEventPayments({ apiKey, apiBase, onError }),
};
