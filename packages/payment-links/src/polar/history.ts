import type { Deadline } from '../deadline.js';
import { minorAmount, record } from '../fields.js';
import { getJson, type ProviderApi } from '../provider-api.js';
import { hadPaidChargeIn } from '../renewals.js';
import type { SubscriptionCharge } from '../reports.js';

// Orders that were paid, whatever happened to them since.
const paidStatuses = ['paid', 'refunded', 'partially_refunded'];

/**
 * Whether the subscription had a paid order above zero before `charge`: its orders
 * (`GET /v1/orders/?subscription_id=`, https://polar.sh/docs/api-reference/orders/list), page by
 * page.
 */
export function hadPaidPolarOrder(
  api: ProviderApi,
  charge: SubscriptionCharge,
  deadline: Deadline,
): Promise<boolean> {
  return hadPaidChargeIn(charge, 1, async (page: number) => {
    const query = { subscription_id: charge.subscription, limit: '100', page: String(page) };
    const list = await getJson(api, '/v1/orders/', query, deadline);
    const orders = Array.isArray(list?.items) ? list.items.map(record) : [];
    const lastPage = Number(record(list?.pagination)?.max_page ?? page);
    return {
      charges: orders.map((order) => ({
        id: typeof order?.id === 'string' ? order.id : undefined,
        paid: order?.paid === true || paidStatuses.includes(String(order?.status)),
        minor: minorAmount(order?.total_amount),
        at: Date.parse(String(order?.created_at)) || undefined,
      })),
      next: page < lastPage && orders.length > 0 ? page + 1 : undefined,
    };
  });
}
