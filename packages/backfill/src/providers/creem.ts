import {
  creemApi,
  creemEventPayments,
  type Json,
  record,
} from '@datafast-checkout/payment-links/backfill';
import { objects, readPage } from '../pages.js';
import type { ListedEvent, ProviderSource } from '../source.js';
import { inRange, numberedPage } from './paged.js';

// Transactions that took money, whatever happened to them since (Creem's `TransactionStatus`).
const paidStatuses = ['paid', 'refunded', 'partialRefund', 'chargedBack', 'chargeback'];

/**
 * Creem: its transactions (`GET /v1/transactions/search`, pages `page_number` from 1 of
 * `page_size=50` while `pagination.next_page` names one:
 * https://docs.creem.io/api-reference/endpoint/search-transactions), each as the event its
 * webhook got for that charge: a subscription's charge as `subscription.paid` (the renewal rule
 * then reads the customer's earlier charges, as the webhook does), any other as the
 * `checkout.completed` of its order, under the transaction's `tran_…` id. No date filter: charges
 * outside the range are dropped here. Creem lists no refunds: refunds are left to its webhook
 * (the README says so).
 */
export const creemSource: ProviderSource = {
  name: 'creem',
  label: 'Creem',
  keyEnv: 'CREEM_API_KEY',
  baseEnv: 'CREEM_API_BASE',
  api: (apiKey, apiBase) =>
    creemApi({ apiKey, apiBase }) as NonNullable<ReturnType<typeof creemApi>>,
  listings: (api) => [
    {
      name: 'transactions',
      async page(cursor, range, { retry, pageSize }) {
        const number = cursor ?? '1';
        const body = await readPage(
          api,
          '/v1/transactions/search',
          { page_number: number, page_size: String(pageSize ?? 50) },
          retry,
        );
        const next = Number(record(body.pagination)?.next_page);
        return numberedPage(
          objects(body.items),
          number,
          Number.isInteger(next) && next > Number(number),
          (transaction) =>
            inRange(transaction.created_at, range, 'ms') ? [eventOf(transaction)] : [],
        );
      },
    },
  ],
  payments: (apiKey, apiBase, onError) => creemEventPayments({ apiKey, apiBase, onError }),
};

function eventOf(transaction: Json): ListedEvent {
  const id = String(transaction.id);
  const paid = paidStatuses.includes(String(transaction.status));
  const customer = transaction.customer;
  const subscription =
    typeof transaction.subscription === 'string' ? transaction.subscription : undefined;
  if (subscription) {
    const object = {
      id: subscription,
      object: 'subscription',
      customer,
      last_transaction_id: id,
      last_transaction: transaction,
      last_transaction_date: transaction.created_at,
      metadata: record(transaction.metadata) ?? null,
    };
    return {
      id,
      event: {
        id: `backfill_${id}`,
        eventType: 'subscription.paid',
        created_at: transaction.created_at,
        object,
      },
      ...(paid ? {} : { skip: 'unpaid' as const }),
    };
  }
  const object = {
    id: `backfill_${id}`,
    object: 'checkout',
    customer,
    metadata: record(transaction.metadata) ?? null,
    order: {
      id: transaction.order,
      transaction: id,
      amount_paid: transaction.amount_paid ?? transaction.amount,
      currency: transaction.currency,
      status: paid ? 'paid' : 'pending',
    },
  };
  return {
    id,
    event: {
      id: `backfill_${id}`,
      eventType: 'checkout.completed',
      created_at: transaction.created_at,
      object,
    },
  };
}
