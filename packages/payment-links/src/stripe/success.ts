import { SUCCESS_PAGE_LOOKUP_TIMEOUT_MS } from '../provider-api.js';
import type { onPaymentSucceeded, PaymentResolver } from '../succeeded.js';
import { paymentFromCheckoutSession } from './mapping.js';
import type { CheckoutSessionLike, StripeClient } from './types.js';

/** Options of {@link stripeCheckoutSession}. */
export interface StripeCheckoutSessionOptions {
  /** The query parameter holding the session id. Default `session_id` (`?session_id={CHECKOUT_SESSION_ID}`). */
  param?: string;
  /**
   * How long the page waits for Stripe, in milliseconds. Default 8000, as every provider's success
   * helper (stripe-node's own default is 80 s). When it is reached the page is shown without the
   * payment (`onError` says why); the webhook reports it.
   */
  timeoutMs?: number;
}

/**
 * A resolver for {@link onPaymentSucceeded} on Stripe's success page: it reads
 * `?session_id=cs_…`, retrieves the Checkout Session with your client and returns the payment it
 * reports, with the same `transaction_id` as the webhook (so the two together, and any reload,
 * count once) and the visitor the session carries (else the cookie). A session that is not paid
 * yet, or an unknown or missing id, reports nothing. Stripe gets 8 s (`timeoutMs`): a slower
 * answer is not waited for, the page is shown without the payment, and the webhook reports it.
 *
 * @example
 * export const GET = onPaymentSucceeded(stripeCheckoutSession(stripe), (request, payment) => renderThanks(payment))
 */
export function stripeCheckoutSession(
  stripe: StripeClient,
  options: StripeCheckoutSessionOptions = {},
): PaymentResolver {
  const param = options.param ?? 'session_id';
  const timeoutMs = options.timeoutMs ?? SUCCESS_PAGE_LOOKUP_TIMEOUT_MS;
  return async (request) => {
    const id = new URL(request.url).searchParams.get(param);
    // Checkout Session ids only: anything else would be a wasted (and loggable) API call.
    if (!id || !/^cs_[A-Za-z0-9_]+$/.test(id)) return null;
    let session: CheckoutSessionLike;
    try {
      session = (await withinTime(
        // stripe-node's per-request `timeout` ends its own wait (and socket); the race ends ours
        // whatever the client does (retries, an older version that ignores the option).
        stripe.checkout.sessions.retrieve(id, {}, { timeout: timeoutMs }),
        timeoutMs,
      )) as CheckoutSessionLike;
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 404) return null; // not this account's
      throw error;
    }
    const report = paymentFromCheckoutSession(session);
    return (
      report && {
        payment: report.payment,
        carriedVisitorId: report.carriedVisitorId,
        source: session,
      }
    );
  };
}

function withinTime<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `Stripe did not answer within ${timeoutMs} ms; the page is shown without the payment, which the webhook reports`,
          ),
        ),
      timeoutMs,
    );
  });
  work.catch(() => {}); // settled later, after the page was shown: nothing to report
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
