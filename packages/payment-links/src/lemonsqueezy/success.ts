import { readEnv } from '../env.js';
import { record } from '../fields.js';
import { getJson, type ProviderApi } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { paymentFromLemonSqueezyOrder } from './mapping.js';

/** Options of {@link lemonSqueezyOrder}. */
export interface LemonSqueezyOrderOptions {
  /** A LemonSqueezy API key (test-mode keys read test-mode orders). Default: env `LEMONSQUEEZY_API_KEY`. */
  apiKey?: string;
  /** The query parameter holding the order id. Default `order_id` (`?order_id=[order_id]`). */
  param?: string;
  /** Another API host, such as a local stand-in in tests. Default `https://api.lemonsqueezy.com`. */
  apiBase?: string;
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
    const apiKey = options.apiKey ?? readEnv('LEMONSQUEEZY_API_KEY');
    if (!apiKey)
      throw new Error(
        'lemonSqueezyOrder needs an API key: set LEMONSQUEEZY_API_KEY or pass { apiKey }',
      );
    const api: ProviderApi = {
      name: 'LemonSqueezy API',
      base: options.apiBase ?? 'https://api.lemonsqueezy.com',
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/vnd.api+json' },
    };
    const order = record((await getJson(api, `/v1/orders/${id}`))?.data);
    const attributes = record(order?.attributes);
    return attributes ? paymentFromLemonSqueezyOrder(id, attributes) : null;
  };
}
