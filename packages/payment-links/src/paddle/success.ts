import { record } from '../fields.js';
import { getJson, lookupResolver } from '../provider-api.js';
import type { PaymentResolver } from '../succeeded.js';
import { type PaddleApiOptions, paddleApi } from './api.js';
import { paymentFromPaddleTransaction } from './mapping.js';

/** Options of {@link paddleTransaction}. */
export interface PaddleTransactionOptions extends PaddleApiOptions {
  /** The query parameter holding the transaction id. Default `transaction_id` (`_ptxn` is read too). */
  param?: string;
}

/**
 * A resolver for `onPaymentSucceeded` on the page a Paddle checkout ends on. Paddle adds no id
 * to its success URL: redirect there yourself from Paddle.js's `checkout.completed` event, whose
 * `data.transaction_id` you append as `?transaction_id=`. The transaction is read with
 * `GET /transactions/:id` and reported with its `txn_…` id, as `paddleWebhook` does, attributed
 * by its custom data, else the cookie. A transaction not paid yet, unknown or missing reports
 * nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(paddleTransaction(), (request, payment) => thanks(payment))
 */
export function paddleTransaction(options: PaddleTransactionOptions = {}): PaymentResolver {
  return lookupResolver({
    params: [options.param ?? 'transaction_id', '_ptxn'],
    pattern: /^txn_[a-z0-9]{1,60}$/,
    api: () => paddleApi(options),
    missing: 'paddleTransaction needs an API key: set PADDLE_API_KEY or pass { apiKey }',
    read: async (api, id) => record((await getJson(api, `/transactions/${id}`))?.data) ?? null,
    map: paymentFromPaddleTransaction,
  });
}
