import {
  creemApi,
  creemEventPayments,
  type Json,
  record,
} from '@datafast-checkout/payment-links/backfill';
import { objects, type PageRetry, readPage } from '../pages.js';
import type { ListedEvent, ProviderSource } from '../source.js';
import { inRange } from './paged.js';

// Transactions that took money, whatever happened to them since (Creem's `TransactionStatus`).
const paidStatuses = ['paid', 'refunded', 'partialRefund', 'chargedBack', 'chargeback'];

/**
 * Creem: its transactions (`GET /v1/transactions/search`, pages `page_number` from 1 of
 * `page_size=50` while `pagination.next_page` names one:
 * https://docs.creem.io/api-reference/endpoint/search-transactions), each as the event its
 * webhook got for that charge (see `eventOf`), under the transaction's `tran_…` id. No date
 * filter: charges outside the range are dropped here. Creem lists no refunds: refunds are left to
 * its webhook (the README says so).
 */
export const creemSource: ProviderSource = {
  name: 'creem',
  label: 'Creem',
  keyEnv: 'CREEM_API_KEY',
  baseEnv: 'CREEM_API_BASE',
  api: (apiKey, apiBase) =>
    creemApi({ apiKey, apiBase }) as NonNullable<ReturnType<typeof creemApi>>,
  listings: (api) => {
    // A subscription's charges share it: read once per run
    // (https://docs.creem.io/api-reference/endpoint/get-subscription).
    const subscriptions = new Map<string, Promise<Json>>();
    const subscriptionOf = (id: string, retry: PageRetry) => {
      let found = subscriptions.get(id);
      if (!found) {
        found = readPage(api, '/v1/subscriptions', { subscription_id: id }, retry);
        subscriptions.set(id, found);
      }
      return found;
    };
    return [
      {
        name: 'transactions',
        async page(cursor, range, { retry, pageSize }) {
          const number = cursor ?? '1';
          const query = { page_number: number, page_size: String(pageSize ?? 50) };
          const body = await readPage(api, '/v1/transactions/search', query, retry);
          const next = Number(record(body.pagination)?.next_page);
          const charges = objects(body.items).filter((item) =>
            inRange(item.created_at, range, 'ms'),
          );
          const events = await Promise.all(
            charges.map(async (transaction) => {
              const id = transaction.subscription;
              return eventOf(
                transaction,
                typeof id === 'string' ? await subscriptionOf(id, retry) : undefined,
              );
            }),
          );
          return {
            events,
            next: Number.isInteger(next) && next > Number(number) ? String(next) : undefined,
          };
        },
      },
    ];
  },
  payments: (apiKey, apiBase, onError) => creemEventPayments({ apiKey, apiBase, onError }),
};

/**
 * The event Creem's webhook sent for a charge: a subscription's charge as `subscription.paid`,
 * the subscription (its metadata carries the visitor, its dates the renewal hint) with this
 * charge as its last transaction, the renewal rule then reading the customer's earlier charges
 * as the webhook does; any other as its order's `checkout.completed`, unattributed (the
 * checkout's metadata is not on the API's transaction).
 */
function eventOf(transaction: Json, subscription: Json | undefined): ListedEvent {
  const id = String(transaction.id);
  const paid = paidStatuses.includes(String(transaction.status));
  const event = (eventType: string, object: Json) => ({
    id: `backfill_${id}`,
    eventType,
    created_at: transaction.created_at,
    object,
  });
  if (typeof transaction.subscription === 'string') {
    const object = {
      ...subscription,
      id: transaction.subscription,
      customer: subscription?.customer ?? transaction.customer,
      last_transaction_id: id,
      last_transaction: transaction,
      last_transaction_date: transaction.created_at,
    };
    return {
      id,
      event: event('subscription.paid', object),
      ...(paid ? {} : { skip: 'unpaid' as const }),
    };
  }
  const order = {
    id: transaction.order,
    transaction: id,
    amount_paid: transaction.amount_paid ?? transaction.amount,
    currency: transaction.currency,
    status: paid ? 'paid' : 'pending',
  };
  return {
    id,
    event: event('checkout.completed', {
      id: `backfill_${id}`,
      object: 'checkout',
      customer: transaction.customer,
      order,
    }),
  };
}
