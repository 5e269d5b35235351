import { getJson } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { type CreemApiOptions, creemApi } from './api.js';
import { paymentFromCreemCheckout } from './mapping.js';

/** Options of {@link creemCheckout}. */
export interface CreemCheckoutOptions extends CreemApiOptions {
  /** The query parameter holding the checkout id. Default `checkout_id`, which Creem adds itself. */
  param?: string;
}

/**
 * A resolver for `onPaymentSucceeded` on Creem's return URL, which Creem opens with
 * `?checkout_id=ch_…&order_id=…`. It reads the checkout (`GET /v1/checkouts`, host chosen by
 * the key: `creem_test_…` keys use the test API) and returns its payment under the same
 * transaction id as `creemWebhook`, attributed by the checkout's metadata, else the cookie. A
 * checkout not paid yet, unknown or missing reports nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(creemCheckout(), (request, payment) => thanks(payment))
 */
export function creemCheckout(options: CreemCheckoutOptions = {}): PaymentResolver {
  const param = options.param ?? 'checkout_id';
  return async (request) => {
    const id = new URL(request.url).searchParams.get(param);
    if (!id || !/^ch_\w{1,60}$/.test(id)) return null;
    const api = creemApi(options);
    if (!api)
      throw new Error('creemCheckout needs an API key: set CREEM_API_KEY or pass { apiKey }');
    const checkout = await getJson(api, '/v1/checkouts', { checkout_id: id });
    return checkout ? paymentFromCreemCheckout(checkout) : null;
  };
}
