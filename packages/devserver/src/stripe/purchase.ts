import type { PaymentLink } from './links.js';
import type { StripeObject } from './objects.js';
import type { StripeStore } from './store.js';

/**
 * What a checkout sells and how it is paid, whether a payment link or a Checkout Session
 * created with the API started it: the one thing paying reads. For a session, `name` is its
 * product (and how many more items) and `unitAmount` every line item's total, per period.
 */
export interface Purchase
  extends Pick<
    PaymentLink,
    'name' | 'unitAmount' | 'currency' | 'interval' | 'trialDays' | 'paymentMethod'
  > {
  /** `payment_intent_data.metadata`: copied onto the PaymentIntent. */
  paymentIntentMetadata: Record<string, string>;
  /** `subscription_data.metadata`: copied onto the Subscription and its invoices. */
  subscriptionMetadata: Record<string, string>;
}

/** What paying a link buys. */
export function purchaseOfLink(link: PaymentLink): Purchase {
  const { name, unitAmount, currency, interval, trialDays, paymentMethod } = link;
  return {
    name,
    unitAmount,
    currency,
    interval,
    trialDays,
    paymentMethod,
    paymentIntentMetadata: {},
    subscriptionMetadata: {},
  };
}

// A session created with the API is paid later, maybe after a restart: what it buys is kept in
// the store beside it, under a type the /v1 API never answers (it has no collection).
const PURCHASE = 'devserver.purchase';
const purchaseId = (session: string) => `${PURCHASE}_${session}`;

/** Keeps what an open session buys until it is paid. */
export function keepPurchase(store: StripeStore, session: string, purchase: Purchase): void {
  store.put({ id: purchaseId(session), object: PURCHASE, ...purchase });
}

/** What an open session created with the API buys, if it is one. */
export function purchaseOfSession(store: StripeStore, session: string): Purchase | undefined {
  const found = store.get(purchaseId(session));
  if (!found) return undefined;
  const { id: _id, object: _object, ...purchase } = found as StripeObject & Purchase;
  return purchase;
}
