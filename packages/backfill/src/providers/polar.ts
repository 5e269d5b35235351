import {
  type Json,
  polarApi,
  polarEventPayments,
  record,
} from '@datafast-checkout/payment-links/backfill';
import { objects, readPage } from '../pages.js';
import type { Listing, ProviderSource } from '../source.js';
import { inRange, numberedPage } from './paged.js';

/**
 * Polar: orders (https://polar.sh/docs/api-reference/orders/list) as `order.paid` and refunds
 * (https://polar.sh/docs/api-reference/refunds/list) as `refund.created`, pages `page`/`limit=100`
 * up to `pagination.max_page` (https://polar.sh/docs/api-reference/introduction#pagination).
 * Listed newest first (`sorting=-created_at`); objects outside the range are dropped here.
 * Polar answers 429 with `Retry-After` (https://polar.sh/docs/api-reference/introduction#rate-limits).
 */
export const polarSource: ProviderSource = {
  name: 'polar',
  label: 'Polar',
  keyEnv: 'POLAR_ACCESS_TOKEN',
  baseEnv: 'POLAR_API_BASE',
  api: (accessToken, apiBase) =>
    polarApi({ accessToken, apiBase }) as NonNullable<ReturnType<typeof polarApi>>,
  listings: (api) => {
    const list = (name: string, path: string, type: string): Listing => ({
      name,
      async page(cursor, range, { retry, pageSize }) {
        const query = {
          page: cursor ?? '1',
          limit: String(pageSize ?? 100),
          sorting: '-created_at',
        };
        const body = await readPage(api, path, query, retry);
        const maxPage = Number(record(body.pagination)?.max_page ?? 1);
        return numberedPage(
          objects(body.items),
          query.page,
          Number(query.page) < maxPage,
          (item: Json) =>
            inRange(item.created_at, range)
              ? [{ id: String(item.id), event: { type, timestamp: item.created_at, data: item } }]
              : [],
        );
      },
    });
    return [
      list('orders', '/v1/orders/', 'order.paid'),
      list('refunds', '/v1/refunds/', 'refund.created'),
    ];
  },
  payments: (accessToken, apiBase, onError) =>
    polarEventPayments({ accessToken, apiBase, onError }),
};
