import { getJson, lookupResolver } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { type DodoApiOptions, dodoApi } from './api.js';
import { paymentFromDodoPayment } from './mapping.js';

/** Options of {@link dodoPayment}. */
export interface DodoPaymentOptions extends DodoApiOptions {
  /** The query parameter holding the payment id. Default `payment_id`, which Dodo adds itself. */
  param?: string;
}

/**
 * A resolver for `onPaymentSucceeded` on the `return_url` (or link `redirect_url`) Dodo Payments
 * opens with `?payment_id=pay_…&status=…`. It reads the payment (`GET /payments/:id`) and returns
 * it under its `payment_id`, as `dodoWebhook` does, attributed by its metadata, else the cookie.
 * A payment that has not succeeded, an unknown or missing id reports nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(dodoPayment(), (request, payment) => thanks(payment))
 */
export function dodoPayment(options: DodoPaymentOptions = {}): PaymentResolver {
  return lookupResolver({
    params: [options.param ?? 'payment_id'],
    pattern: /^pay_\w{1,60}$/,
    api: () => dodoApi(options),
    missing: 'dodoPayment needs an API key: set DODO_PAYMENTS_API_KEY or pass { apiKey }',
    read: (api, id) => getJson(api, `/payments/${id}`),
    map: paymentFromDodoPayment,
  });
}
