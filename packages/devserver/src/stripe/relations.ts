import type { StripeObject } from './objects.js';
import { idOf, type StripeStore } from './store.js';

// How the stand-in's stored objects point at each other, read the way Stripe's API versions
// shape them: lookups only, no changes (those are the account's).

/** An invoice's subscription, in either shape (`parent.subscription_details` or `subscription`). */
export function subscriptionOf(invoice: StripeObject): string | undefined {
  const parent = invoice.parent as { subscription_details?: { subscription?: unknown } } | null;
  return idOf(parent?.subscription_details?.subscription) ?? idOf(invoice.subscription);
}

/** The PaymentIntent that paid an invoice (through its InvoicePayment), if any. */
export function paymentIntentOf(
  store: StripeStore,
  invoice: StripeObject | undefined,
): string | undefined {
  if (!invoice) return undefined;
  const [payment] = store.list('invoice_payment', (p) => idOf(p.invoice) === invoice.id);
  return idOf((payment?.payment as { payment_intent?: unknown } | undefined)?.payment_intent);
}

/** The payments (PaymentIntents) of a session: its own, or each invoice's, oldest first. */
export function paymentsOf(store: StripeStore, session: StripeObject): StripeObject[] {
  const own = idOf(session.payment_intent);
  if (own) return [store.get(own)].filter((p) => p !== undefined);
  const subscription = idOf(session.subscription);
  return store
    .list('invoice', (invoice) => subscriptionOf(invoice) === subscription)
    .reverse()
    .flatMap((invoice) => {
      const id = paymentIntentOf(store, invoice);
      const paymentIntent = id ? store.get(id) : undefined;
      return paymentIntent ? [paymentIntent] : [];
    });
}

/** The Checkout Session that started a subscription. */
export function sessionOfSubscription(
  store: StripeStore,
  subscription: string,
): StripeObject | undefined {
  return store.list('checkout.session', (s) => idOf(s.subscription) === subscription)[0];
}

/** The Checkout Session whose own payment a PaymentIntent is (one-time links). */
export function sessionOfPaymentIntent(
  store: StripeStore,
  paymentIntent: string,
): StripeObject | undefined {
  return store.list('checkout.session', (s) => idOf(s.payment_intent) === paymentIntent)[0];
}

/** The subscription whose invoice a PaymentIntent paid. */
export function subscriptionOfPayment(
  store: StripeStore,
  paymentIntent: string,
): string | undefined {
  const [payment] = store.list(
    'invoice_payment',
    (p) => idOf((p.payment as { payment_intent?: unknown }).payment_intent) === paymentIntent,
  );
  const invoice = payment && store.get(idOf(payment.invoice) ?? '');
  return invoice ? subscriptionOf(invoice) : undefined;
}
