import { record } from '../fields.js';
import { getJson, lookupResolver } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { type PolarApiOptions, polarApi } from './api.js';
import { paymentFromPolarOrder } from './mapping.js';

/** Options of {@link polarCheckout}. */
export interface PolarCheckoutOptions extends PolarApiOptions {
  /** The query parameter holding the checkout id. Default `checkout_id` (`?checkout_id={CHECKOUT_ID}`). */
  param?: string;
}

/**
 * A resolver for `onPaymentSucceeded` on Polar's success URL
 * (`https://your.site/success?checkout_id={CHECKOUT_ID}`): it finds the checkout's order
 * (`GET /v1/orders/?checkout_id=`, an access token with `orders:read`) and returns its payment
 * with the order id, as `polarWebhook` does, and the visitor the order carries (else the cookie).
 * An order not paid yet, an unknown or missing checkout reports nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(polarCheckout(), (request, payment) => thanks(payment))
 */
export function polarCheckout(options: PolarCheckoutOptions = {}): PaymentResolver {
  return lookupResolver({
    params: [options.param ?? 'checkout_id'],
    pattern: /^[\w-]{1,100}$/,
    api: () => polarApi(options),
    missing: 'polarCheckout needs an access token: set POLAR_ACCESS_TOKEN or pass { accessToken }',
    read: async (api, id) => {
      const list = await getJson(api, '/v1/orders/', { checkout_id: id, limit: '1' });
      return record((list?.items as unknown[] | undefined)?.[0]) ?? null;
    },
    map: paymentFromPolarOrder,
  });
}
