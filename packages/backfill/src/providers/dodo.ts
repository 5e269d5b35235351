import { dodoApi, dodoEventPayments, type Json } from '@datafast-checkout/payment-links/backfill';
import { objects, readPage } from '../pages.js';
import type { Listing, ProviderSource } from '../source.js';
import { numberedPage } from './paged.js';

const largestPage = 100;

/**
 * Dodo Payments: payments `status=succeeded` as `payment.succeeded`
 * (https://docs.dodopayments.com/api-reference/payments/get-payments) and refunds as
 * `refund.succeeded` (https://docs.dodopayments.com/api-reference/refunds/get-refunds), with
 * `created_at_gte`/`created_at_lte`, pages `page_number` (from 0) of `page_size=100`, the next
 * while a page is full.
 */
export const dodoSource: ProviderSource = {
  name: 'dodo',
  label: 'Dodo Payments',
  keyEnv: 'DODO_PAYMENTS_API_KEY',
  baseEnv: 'DODO_PAYMENTS_API_BASE',
  api: (apiKey, apiBase) => dodoApi({ apiKey, apiBase }) as NonNullable<ReturnType<typeof dodoApi>>,
  listings: (api) => {
    const list = (
      name: string,
      path: string,
      type: string,
      idField: string,
      filter: Record<string, string>,
    ): Listing => ({
      name,
      async page(cursor, range, { retry, pageSize }) {
        const number = cursor ?? '0';
        const size = pageSize ?? largestPage;
        const query = {
          ...filter,
          created_at_gte: range.since.toISOString(),
          // Inclusive: the millisecond before `until`.
          created_at_lte: new Date(range.until.getTime() - 1).toISOString(),
          page_size: String(size),
          page_number: number,
        };
        const body = await readPage(api, path, query, retry);
        const items = objects(body.items);
        const page = numberedPage(items, number, items.length === size, (item: Json) => [
          { id: String(item[idField]), event: { type, timestamp: item.created_at, data: item } },
        ]);
        return { ...page, next: page.next && String(Number(number) + 1) };
      },
    });
    return [
      list('payments', '/payments', 'payment.succeeded', 'payment_id', { status: 'succeeded' }),
      list('refunds', '/refunds', 'refund.succeeded', 'refund_id', { status: 'succeeded' }),
    ];
  },
  payments: (apiKey, apiBase, onError) => dodoEventPayments({ apiKey, apiBase, onError }),
};
