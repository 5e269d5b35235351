import { getJson, lookupResolver } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { type CreemApiOptions, creemApi } from './api.js';
import { paymentFromCreemCheckout } from './mapping.js';
import { withOrderCharge } from './transactions.js';

/** Options of {@link creemCheckout}. */
export interface CreemCheckoutOptions extends CreemApiOptions {
  /** The query parameter holding the checkout id. Default `checkout_id`, which Creem adds itself. */
  param?: string;
}

/**
 * A resolver for `onPaymentSucceeded` on Creem's return URL, which Creem opens with
 * `?checkout_id=ch_…&order_id=…`. It reads the checkout (`GET /v1/checkouts`, host chosen by
 * the key: `creem_test_…` keys use the test API) and returns its payment under the same
 * transaction id as `creemWebhook` (the `tran_…` that paid it, read from the API when the
 * checkout does not name it), attributed by the checkout's metadata, else the cookie. A checkout
 * not paid yet, unknown or missing reports nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(creemCheckout(), (request, payment) => thanks(payment))
 */
export function creemCheckout(options: CreemCheckoutOptions = {}): PaymentResolver {
  return lookupResolver({
    params: [options.param ?? 'checkout_id'],
    pattern: /^ch_\w{1,60}$/,
    api: () => creemApi(options),
    missing: 'creemCheckout needs an API key: set CREEM_API_KEY or pass { apiKey }',
    // A checkout whose charge Creem does not list yet shows no payment: the webhook reports it.
    read: async (api, id) => {
      const checkout = await getJson(api, '/v1/checkouts', { checkout_id: id });
      return checkout && withOrderCharge(api, checkout);
    },
    map: (checkout) => paymentFromCreemCheckout(checkout),
  });
}
