/** Stripe fixtures (shared with the examples' suites) and real signatures from `stripe`. */

import { payloadOf, webhookSecret } from '@datafast-checkout/testing';
import Stripe from 'stripe';

export {
  checkoutSession,
  invoice,
  otherVisitor,
  payloadOf,
  refund,
  refundedCharge,
  sessionCookie,
  stripeEvent,
  subscriptionSession,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';

type Json = Record<string, unknown>;

/**
 * A POST as Stripe sends it: the payload and a real `Stripe-Signature` made by the `stripe`
 * package (`generateTestHeaderString`), with the current time unless `timestamp` is given.
 */
export function signedRequest(
  url: string,
  event: Json,
  options: { secret?: string; timestamp?: number; payload?: string } = {},
): Request {
  const payload = options.payload ?? payloadOf(event);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? webhookSecret,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
}
