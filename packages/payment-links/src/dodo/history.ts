import type { Deadline } from '../deadline.js';
import { minorAmount, record } from '../fields.js';
import { getJson, type ProviderApi } from '../provider-api.js';
import { hadPaidChargeIn } from '../renewals.js';
import type { SubscriptionCharge } from '../reports.js';

const pageSize = 100;

/**
 * Whether the subscription had a succeeded payment above zero before `charge`: its payments
 * (`GET /payments?subscription_id=&status=succeeded`,
 * https://docs.dodopayments.com/api-reference/payments/get-payments), page by page.
 */
export function hadPaidDodoPayment(
  api: ProviderApi,
  charge: SubscriptionCharge,
  deadline: Deadline,
): Promise<boolean> {
  return hadPaidChargeIn(charge, 0, async (page: number) => {
    const query = {
      subscription_id: charge.subscription,
      status: 'succeeded',
      page_size: String(pageSize),
      page_number: String(page),
    };
    const list = await getJson(api, '/payments', query, deadline);
    const payments = Array.isArray(list?.items) ? list.items.map(record) : [];
    return {
      charges: payments.map((payment) => ({
        id: typeof payment?.payment_id === 'string' ? payment.payment_id : undefined,
        paid: payment?.status === undefined || payment?.status === 'succeeded',
        minor: minorAmount(payment?.total_amount),
        at: Date.parse(String(payment?.created_at)) || undefined,
      })),
      next: payments.length === pageSize ? page + 1 : undefined,
    };
  });
}
