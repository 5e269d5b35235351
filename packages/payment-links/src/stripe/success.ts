import type { onPaymentSucceeded, PaymentResolver } from '../succeeded.js';
import { paymentFromCheckoutSession } from './mapping.js';
import type { CheckoutSessionLike, StripeClient } from './types.js';

/** Options of {@link stripeCheckoutSession}. */
export interface StripeCheckoutSessionOptions {
  /** The query parameter holding the session id. Default `session_id` (`?session_id={CHECKOUT_SESSION_ID}`). */
  param?: string;
}

/**
 * A resolver for {@link onPaymentSucceeded} on Stripe's success page: it reads
 * `?session_id=cs_…`, retrieves the Checkout Session with your client and returns the payment it
 * reports, with the same `transaction_id` as the webhook (so the two together, and any reload,
 * count once) and the visitor the session carries (else the cookie). A session that is not paid
 * yet, or an unknown or missing id, reports nothing.
 *
 * @example
 * export const GET = onPaymentSucceeded(stripeCheckoutSession(stripe), (request, payment) => renderThanks(payment))
 */
export function stripeCheckoutSession(
  stripe: StripeClient,
  options: StripeCheckoutSessionOptions = {},
): PaymentResolver {
  const param = options.param ?? 'session_id';
  return async (request) => {
    const id = new URL(request.url).searchParams.get(param);
    // Checkout Session ids only: anything else would be a wasted (and loggable) API call.
    if (!id || !/^cs_[A-Za-z0-9_]+$/.test(id)) return null;
    let session: CheckoutSessionLike;
    try {
      session = (await stripe.checkout.sessions.retrieve(id)) as CheckoutSessionLike;
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 404) return null; // not this account's
      throw error;
    }
    const report = paymentFromCheckoutSession(session);
    return report && { payment: report.payment, carriedVisitorId: report.carriedVisitorId };
  };
}
