import { record } from '../fields.js';
import { getJson } from '../provider-api.js';
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
  const param = options.param ?? 'checkout_id';
  return async (request) => {
    const id = new URL(request.url).searchParams.get(param);
    if (!id || !/^[\w-]{1,100}$/.test(id)) return null;
    const api = polarApi(options);
    if (!api)
      throw new Error(
        'polarCheckout needs an access token: set POLAR_ACCESS_TOKEN or pass { accessToken }',
      );
    const list = await getJson(api, '/v1/orders/', { checkout_id: id, limit: '1' });
    const order = record((list?.items as unknown[] | undefined)?.[0]);
    return order ? paymentFromPolarOrder(order) : null;
  };
}
