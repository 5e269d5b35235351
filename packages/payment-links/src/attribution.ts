import {
  type CookieSource,
  getVisitorId,
  normalizeVisitorId,
  type PaymentInput,
} from '@datafast-checkout/core';

/**
 * Where a payment's visitor can come from. Tried in this order: the id the provider carried
 * through its checkout, the payment's own valid `datafast_visitor_id`, the request's cookie.
 */
export interface VisitorSources {
  /** What the provider carried back (checkout metadata, `client_reference_id`, ...). */
  carried?: unknown;
  /** The request whose `datafast_visitor_id` cookie is the last resort (none for webhooks). */
  request?: CookieSource;
}

/**
 * The one place that decides which visitor a payment is credited to, for `onPaymentSucceeded`
 * and every provider's webhook alike. The carrier wins because it was set on the device that
 * started the checkout, while the success page may be opened on another one. An explicit `null`
 * stays unattributed unless a carrier says otherwise.
 *
 * @example
 * attributePayment(payment, { carried: session.client_reference_id, request })
 */
export function attributePayment(payment: PaymentInput, sources: VisitorSources): PaymentInput {
  const carried = normalizeVisitorId(sources.carried);
  if (carried) return { ...payment, datafast_visitor_id: carried };
  const explicit = payment.datafast_visitor_id;
  if (explicit === null || normalizeVisitorId(explicit)) return payment;
  const fromCookie = getVisitorId(sources.request);
  // An invalid explicit id would only be dropped by core with a warning: the cookie is better.
  return fromCookie ? { ...payment, datafast_visitor_id: fromCookie } : payment;
}
