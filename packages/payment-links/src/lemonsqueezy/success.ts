import { idText, record } from '../fields.js';
import { getJson, lookupResolver } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { type LemonSqueezyApiOptions, lemonSqueezyApi } from './api.js';
import { paymentFromLemonSqueezyOrder } from './mapping.js';

/** Options of {@link lemonSqueezyOrder}. */
export interface LemonSqueezyOrderOptions extends LemonSqueezyApiOptions {
  /** The query parameter holding the order id. Default `order_id` (`?order_id=[order_id]`). */
  param?: string;
}

/**
 * A resolver for `onPaymentSucceeded` on the page a LemonSqueezy product redirects to: set the
 * product's redirect or button link to `https://your.site/thanks?order_id=[order_id]`
 * (LemonSqueezy fills in the placeholder). It reads the order with `GET /v1/orders/:id` and
 * returns its payment, `ls_order_<id>` as in the webhook, attributed by the cookie. An unpaid,
 * unknown or missing order reports nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(lemonSqueezyOrder(), (request, payment) => thanks(payment))
 */
export function lemonSqueezyOrder(options: LemonSqueezyOrderOptions = {}): PaymentResolver {
  return lookupResolver({
    params: [options.param ?? 'order_id'],
    pattern: /^\d{1,20}$/,
    api: () => lemonSqueezyApi(options),
    missing: 'lemonSqueezyOrder needs an API key: set LEMONSQUEEZY_API_KEY or pass { apiKey }',
    read: async (api, id) => record((await getJson(api, `/v1/orders/${id}`))?.data) ?? null,
    map: (order) => {
      const id = idText(order.id);
      const attributes = record(order.attributes);
      return id && attributes ? paymentFromLemonSqueezyOrder(id, attributes) : null;
    },
  });
}
