import { type CookieSource, normalizeVisitorId } from '@datafast-checkout/core';
import { checkoutMetadata, withVisitorParam } from '../carriers.js';
import { visitorIn } from '../fields.js';
import { carrierParams } from '../link-carriers.js';
import type { CheckoutSessionLike, StripeMetadata } from './types.js';

/**
 * Adds `?client_reference_id=<visitor id>` to a Stripe Payment Link, so the Checkout Session
 * (and its `checkout.session.completed` event) carries the visitor. Stripe keeps the value only
 * on the session (letters, digits, `-` and `_`, at most 200: a visitor UUID fits). The link
 * comes back unchanged when the id is not a valid visitor id, when the link already has a
 * `client_reference_id` (affiliate tools use it too: theirs is kept), or when it is not an
 * absolute http(s) URL. Other parameters (`prefilled_email`, UTM tags) and the fragment stay.
 *
 * @example
 * withClientReferenceId('https://buy.stripe.com/test_123', getVisitorId(request))
 */
export function withClientReferenceId(url: string, visitorId: string | null | undefined): string {
  return withVisitorParam(url, carrierParams.stripe, visitorId);
}

/** What {@link checkoutSessionParams} returns, ready to spread into `checkout.sessions.create`. */
export interface DatafastCheckoutSessionParams {
  metadata?: Record<string, string>;
  subscription_data?: { metadata: Record<string, string> };
  payment_intent_data?: { metadata: Record<string, string> };
}

/**
 * The Checkout Session parameters that carry the request's DataFast visitor and session ids
 * (`datafast_visitor_id`, `datafast_session_id`) through a session your server creates:
 * `metadata` on the session, plus `subscription_data.metadata` in subscription mode (the only
 * metadata that reaches the subscription's later invoices, so renewals are attributed too) or
 * `payment_intent_data.metadata` in payment mode (Stripe accepts each only in its own mode).
 * `metadata` adds your own keys to all of them (the website field of `websites` routing, say):
 * they win over the cookie's. Empty when there is nothing to carry.
 *
 * @example
 * await stripe.checkout.sessions.create({ mode: 'subscription', line_items, success_url, ...checkoutSessionParams(request, 'subscription', { datafast_website: 'blog' }) })
 */
export function checkoutSessionParams(
  request: CookieSource,
  mode: 'payment' | 'subscription' = 'payment',
  metadata: Readonly<Record<string, string>> = {},
): DatafastCheckoutSessionParams {
  const carried: Record<string, string> = { ...checkoutMetadata(request), ...metadata };
  if (Object.keys(carried).length === 0) return {};
  return mode === 'subscription'
    ? { metadata: carried, subscription_data: { metadata: { ...carried } } }
    : { metadata: carried, payment_intent_data: { metadata: { ...carried } } };
}

/** The visitor id in a metadata object, when valid. */
export function visitorInMetadata(metadata: StripeMetadata): string | undefined {
  return visitorIn([metadata]);
}

/**
 * The visitor a Checkout Session carries: `metadata.datafast_visitor_id` (set by your server)
 * first, then `client_reference_id` (set on a payment link) when it is a visitor UUID.
 */
export function visitorInSession(session: CheckoutSessionLike): string | undefined {
  return visitorInMetadata(session.metadata) ?? normalizeVisitorId(session.client_reference_id);
}
