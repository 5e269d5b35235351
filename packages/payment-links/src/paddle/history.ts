import type { Deadline } from '../deadline.js';
import { minorAmount, record } from '../fields.js';
import { getJson, type ProviderApi } from '../provider-api.js';
import { hadPaidChargeIn } from '../renewals.js';
import type { SubscriptionCharge } from '../reports.js';

/**
 * Whether the subscription had a paid transaction above zero before `charge`: its `paid` and
 * `completed` transactions (`GET /transactions?subscription_id=`,
 * https://developer.paddle.com/api-reference/transactions/list-transactions), page by page
 * through `meta.pagination.next`.
 */
export function hadPaidPaddleTransaction(
  api: ProviderApi,
  charge: SubscriptionCharge,
  deadline: Deadline,
): Promise<boolean> {
  return hadPaidChargeIn(charge, '', async (after: string) => {
    const query = {
      subscription_id: charge.subscription,
      status: 'paid,completed',
      per_page: '30',
      ...(after ? { after } : {}),
    };
    const list = await getJson(api, '/transactions', query, deadline);
    const transactions = Array.isArray(list?.data) ? list.data.map(record) : [];
    const pagination = record(record(list?.meta)?.pagination);
    const next =
      pagination?.has_more === true && typeof pagination.next === 'string'
        ? (new URL(pagination.next).searchParams.get('after') ?? undefined)
        : undefined;
    return {
      charges: transactions.map((transaction) => {
        const totals = record(record(transaction?.details)?.totals);
        return {
          id: typeof transaction?.id === 'string' ? transaction.id : undefined,
          paid: transaction?.status === 'paid' || transaction?.status === 'completed',
          minor: minorAmount(totals?.grand_total ?? totals?.total),
          at: Date.parse(String(transaction?.billed_at ?? transaction?.created_at)) || undefined,
        };
      }),
      next,
    };
  });
}
