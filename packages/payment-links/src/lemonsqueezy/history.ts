import type { Deadline } from '../deadline.js';
import { minorAmount, record } from '../fields.js';
import { getJson, type ProviderApi } from '../provider-api.js';
import { hadPaidChargeIn } from '../renewals.js';
import type { SubscriptionCharge } from '../reports.js';

// Invoices that were paid, whatever happened to them since.
const paidStatuses = ['paid', 'refunded', 'partial_refund'];

/**
 * Whether the subscription had a paid invoice above zero before `charge`: its invoices
 * (`GET /v1/subscription-invoices?filter[subscription_id]=`,
 * https://docs.lemonsqueezy.com/api/subscription-invoices/list-all-subscription-invoices), page
 * by page.
 */
export function hadPaidLemonSqueezyInvoice(
  api: ProviderApi,
  charge: SubscriptionCharge,
  deadline: Deadline,
): Promise<boolean> {
  return hadPaidChargeIn(charge, 1, async (page: number) => {
    const query = {
      'filter[subscription_id]': charge.subscription,
      'page[size]': '100',
      'page[number]': String(page),
    };
    const list = await getJson(api, '/v1/subscription-invoices', query, deadline);
    const invoices = Array.isArray(list?.data) ? list.data.map(record) : [];
    const lastPage = Number(record(record(list?.meta)?.page)?.lastPage ?? page);
    return {
      charges: invoices.map((invoice) => {
        const attributes = record(invoice?.attributes);
        return {
          id: invoice?.id === undefined ? undefined : String(invoice.id),
          paid: paidStatuses.includes(String(attributes?.status)),
          minor: minorAmount(attributes?.total),
          at: Date.parse(String(attributes?.created_at)) || undefined,
        };
      }),
      next: page < lastPage && invoices.length > 0 ? page + 1 : undefined,
    };
  });
}
