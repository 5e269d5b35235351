import { record } from '../fields.js';
import { getJson } from '../provider-api.js';
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
  const param = options.param ?? 'order_id';
  return async (request) => {
    const id = new URL(request.url).searchParams.get(param);
    if (!id || !/^\d{1,20}$/.test(id)) return null;
    const api = lemonSqueezyApi(options);
    if (!api)
      throw new Error(
        'lemonSqueezyOrder needs an API key: set LEMONSQUEEZY_API_KEY or pass { apiKey }',
      );
    const order = record((await getJson(api, `/v1/orders/${id}`))?.data);
    const attributes = record(order?.attributes);
    return attributes ? paymentFromLemonSqueezyOrder(id, attributes) : null;
  };
}
