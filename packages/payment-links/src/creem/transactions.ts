import type { Deadline } from '../deadline.js';
import { record, text } from '../fields.js';
import { getJson, type ProviderApi } from '../provider-api.js';
import { type ChargeRecord, hadPaidChargeIn } from '../renewals.js';
import type { SubscriptionCharge } from '../reports.js';
import { chargedMinor, orderWithoutCharge } from './mapping.js';

/**
 * Creem's transactions, read where an event lacks them: a checkout's charge, a subscription
 * charge's amount, and a subscription's earlier charges (the renewal rule).
 * https://docs.creem.io/api-reference/endpoint/get-transaction and `search-transactions`.
 */

type Json = Record<string, unknown>;

// Transactions that were paid, whatever happened to them since (Creem's `TransactionStatus`,
// and `chargeback` as its dispute sample spells it).
const paidStatuses = ['paid', 'refunded', 'partialRefund', 'chargedBack', 'chargeback'];
const pageSize = 50;

/** The transaction `id` (`GET /v1/transactions?transaction_id=`), or `null` when Creem has none. */
export function readCreemTransaction(
  api: ProviderApi,
  id: string,
  deadline?: Deadline,
): Promise<Json | null> {
  return getJson(api, '/v1/transactions', { transaction_id: id }, deadline);
}

/**
 * A completed checkout whose order names the transaction that paid it and what was paid. Creem's
 * own `checkout.completed` sample carries neither (only the pre-tax `amount`), so they are read
 * from the transaction the order names, else from the order's transactions
 * (`GET /v1/transactions/search?order_id=`, the earliest paid one). The checkout comes back as it
 * is when nothing is missing or nothing was charged, and `null` when Creem lists no paid
 * transaction for the order yet (it may not exist the moment the checkout completes).
 *
 * @example
 * const checkout = await withOrderCharge(api, event.object, deadline)
 */
export async function withOrderCharge(
  api: ProviderApi,
  checkout: Json,
  deadline?: Deadline,
): Promise<Json | null> {
  const order = orderWithoutCharge(checkout);
  if (!order) return checkout;
  const named = text(order.transaction);
  const charge = named
    ? await readCreemTransaction(api, named, deadline)
    : await orderCharge(api, String(order.id), deadline);
  const paid = charge && chargeOf(charge);
  if (!charge || !paid?.paid || !paid.minor) return null;
  return {
    ...checkout,
    order: { ...order, transaction: paid.id, amount_paid: Number(paid.minor) },
  };
}

async function orderCharge(
  api: ProviderApi,
  orderId: string,
  deadline: Deadline | undefined,
): Promise<Json | undefined> {
  const query = { order_id: orderId, page_size: String(pageSize) };
  const list = await getJson(api, '/v1/transactions/search', query, deadline);
  const paid = items(list)
    .map((item) => ({ item, charge: chargeOf(item) }))
    .filter(({ charge }) => charge.paid && (charge.minor ?? 0n) > 0n)
    .sort((a, b) => (a.charge.at ?? 0) - (b.charge.at ?? 0));
  return paid[0]?.item;
}

/**
 * Whether the subscription had a paid transaction above zero before `charge`: the customer's
 * transactions (`GET /v1/transactions/search?customer_id=`, Creem lists none by subscription)
 * that belong to the subscription, page by page.
 */
export function hadPaidCreemTransaction(
  api: ProviderApi,
  charge: SubscriptionCharge,
  deadline: Deadline,
): Promise<boolean> {
  const customer = charge.customer;
  if (!customer) return Promise.resolve(false);
  return hadPaidChargeIn(charge, 1, async (page: number) => {
    const query = { customer_id: customer, page_size: String(pageSize), page_number: String(page) };
    const list = await getJson(api, '/v1/transactions/search', query, deadline);
    const next = Number(record(list?.pagination)?.next_page);
    return {
      charges: items(list)
        .filter((item) => item.subscription === charge.subscription)
        .map(chargeOf),
      next: Number.isInteger(next) && next > page ? next : undefined,
    };
  });
}

function items(list: Json | null): Json[] {
  const found: unknown[] = Array.isArray(list?.items) ? list.items : [];
  return found.flatMap((item): Json[] => {
    const transaction = record(item);
    return transaction ? [transaction] : [];
  });
}

function chargeOf(transaction: Json): ChargeRecord & { id: string | undefined } {
  return {
    id: text(transaction.id),
    paid: paidStatuses.includes(String(transaction.status)),
    minor: chargedMinor(transaction),
    at: typeof transaction.created_at === 'number' ? transaction.created_at : undefined,
  };
}
