import {
  type Json,
  lemonSqueezyApi,
  lemonSqueezyEventPayments,
  record,
} from '@datafast-checkout/payment-links/backfill';
import { objects, readPage } from '../pages.js';
import type { ListedEvent, Listing, ProviderSource } from '../source.js';
import { inRange, numberedPage } from './paged.js';

const refundedStatuses = ['refunded', 'partial_refund'];

/**
 * LemonSqueezy: orders (https://docs.lemonsqueezy.com/api/orders/list-all-orders) and
 * subscription invoices (https://docs.lemonsqueezy.com/api/subscription-invoices/list-all-subscription-invoices),
 * JSON:API pages `page[number]`/`page[size]=100` up to `meta.page.lastPage`
 * (https://docs.lemonsqueezy.com/api/getting-started/requests#pagination). The API filters by
 * store, not by date: objects outside the range are dropped here. Each order is the
 * `order_created` its webhook got and, once refunded, its `order_refunded`; each invoice its
 * `subscription_payment_success` and `subscription_payment_refunded`. The API's objects carry no
 * checkout `custom_data`, so these payments go out unattributed. 300 requests a minute, 429
 * with `Retry-After` past it (https://docs.lemonsqueezy.com/api/getting-started/rate-limiting).
 */
export const lemonSqueezySource: ProviderSource = {
  name: 'lemonsqueezy',
  label: 'LemonSqueezy',
  keyEnv: 'LEMONSQUEEZY_API_KEY',
  baseEnv: 'LEMONSQUEEZY_API_BASE',
  api: (apiKey, apiBase) =>
    lemonSqueezyApi({ apiKey, apiBase }) as NonNullable<ReturnType<typeof lemonSqueezyApi>>,
  listings: (api) => {
    const list = (name: string, path: string, paid: string, refunded: string): Listing => ({
      name,
      async page(cursor, range, { retry, pageSize }) {
        const body = await readPage(
          api,
          path,
          { 'page[number]': cursor ?? '1', 'page[size]': String(pageSize ?? 100) },
          retry,
        );
        const page = record(record(body.meta)?.page);
        const current = Number(page?.currentPage ?? cursor ?? 1);
        const last = Number(page?.lastPage ?? current);
        return numberedPage(objects(body.data), String(current), current < last, (item) => {
          const attributes = record(item.attributes) ?? {};
          if (!inRange(attributes.created_at, range)) return [];
          const id = String(item.id);
          const meta = {
            test_mode: attributes.test_mode,
            custom_data: record(attributes.custom_data) ?? null,
          };
          // The object as it was when paid: a refund since turns its status to `refunded` or
          // `partial_refund` (https://docs.lemonsqueezy.com/api/orders/the-order-object#status),
          // which does not undo that it was paid; the refund is its own event below.
          const asPaid = refundedStatuses.includes(String(attributes.status))
            ? { ...item, attributes: { ...attributes, status: 'paid' } }
            : item;
          const events: ListedEvent[] = [
            { id, event: { meta: { ...meta, event_name: paid }, data: asPaid } },
          ];
          if (Number(attributes.refunded_amount) > 0) {
            events.push({
              id: `${id} refund`,
              event: { meta: { ...meta, event_name: refunded }, data: item },
            });
          }
          return events;
        });
      },
    });
    return [
      list('orders', '/v1/orders', 'order_created', 'order_refunded'),
      list(
        'subscription_invoices',
        '/v1/subscription-invoices',
        'subscription_payment_success',
        'subscription_payment_refunded',
      ),
    ];
  },
  payments: (apiKey, apiBase, onError) => lemonSqueezyEventPayments({ apiKey, apiBase, onError }),
};

export type { Json };
