// The hard cases after a checkout, one call each: an asynchronous payment settles (or fails), a
// payment is refunded, a subscription renews. Each sends the event Stripe sends.
import type { EventRecord } from './deliveries.js';
import { StripeActionError } from './errors.js';
import { stripeId } from './ids.js';
import { type Ledger, now } from './ledger.js';
import { type Buyer, refundObject, type StripeObject } from './objects.js';
import { paymentIntentOf } from './relations.js';
import { idOf } from './store.js';

/**
 * Settles a session paid with an asynchronous method: `succeeded` makes it `paid`
 * (`checkout.session.async_payment_succeeded`, and `invoice.paid` for a subscription),
 * `failed` sends `checkout.session.async_payment_failed`.
 */
export function settle(
  ledger: Ledger,
  sessionId: string,
  outcome: 'succeeded' | 'failed',
): EventRecord[] {
  const session = ledger.session(sessionId);
  const invoice = session.invoice ? ledger.store.get(idOf(session.invoice) as string) : undefined;
  const paymentIntentId = idOf(session.payment_intent) ?? paymentIntentOf(ledger.store, invoice);
  const paymentIntent = paymentIntentId ? ledger.store.get(paymentIntentId) : undefined;
  if (session.payment_status !== 'unpaid' || paymentIntent?.status !== 'processing') {
    throw new StripeActionError(409, `Checkout Session ${sessionId} has no payment to settle`);
  }
  if (outcome === 'failed') {
    paymentIntent.status = 'requires_payment_method';
    return [ledger.emit('checkout.session.async_payment_failed', session, session)];
  }
  ledger.succeed(paymentIntent);
  session.payment_status = 'paid';
  const records = [ledger.emit('checkout.session.async_payment_succeeded', session, session)];
  if (invoice) {
    Object.assign(invoice, {
      amount_paid: invoice.amount_due,
      amount_remaining: 0,
      status: 'paid',
      status_transitions: { ...(invoice.status_transitions as object), paid_at: now() },
    });
    records.push(ledger.emit('invoice.paid', invoice, session));
  }
  return records;
}

/** Refunds a payment, all of what is left or `amount` (smallest unit): `refund.created`. */
export function refund(
  ledger: Ledger,
  paymentIntentId: string,
  amount?: number,
): { refund: StripeObject; event: EventRecord } {
  const paymentIntent = ledger.store.get(paymentIntentId);
  if (paymentIntent?.object !== 'payment_intent') {
    throw new StripeActionError(404, `No such PaymentIntent: ${paymentIntentId}`);
  }
  const charge = ledger.store.get(idOf(paymentIntent.latest_charge) ?? '');
  if (paymentIntent.status !== 'succeeded' || !charge) {
    throw new StripeActionError(409, `PaymentIntent ${paymentIntentId} has not been paid`);
  }
  const left = (charge.amount as number) - (charge.amount_refunded as number);
  const refunded = amount ?? left;
  if (!Number.isInteger(refunded) || refunded < 1 || refunded > left) {
    throw new StripeActionError(
      left === 0 ? 409 : 400,
      left === 0
        ? `PaymentIntent ${paymentIntentId} is refunded already`
        : `amount must be a whole number of the smallest unit from 1 to ${left}`,
    );
  }
  // Before anything changes: a refund the stand-in cannot send an event for is not made.
  const session = ledger.sessionOfPayment(paymentIntentId);
  const refund = refundObject({
    id: stripeId('re'),
    created: now(),
    amount: refunded,
    currency: paymentIntent.currency as string,
    charge: charge.id,
    paymentIntent: paymentIntentId,
  });
  ledger.store.put(refund);
  charge.amount_refunded = (charge.amount_refunded as number) + refunded;
  charge.refunded = charge.amount_refunded === charge.amount;
  return { refund: structuredClone(refund), event: ledger.emit('refund.created', refund, session) };
}

/** Bills a subscription's next period: a new paid invoice and `invoice.paid` (`subscription_cycle`). */
export function renew(
  ledger: Ledger,
  subscriptionId: string,
): { invoice: StripeObject; event: EventRecord } {
  const subscription = ledger.store.get(subscriptionId);
  if (subscription?.object !== 'subscription') {
    throw new StripeActionError(404, `No such subscription: ${subscriptionId}`);
  }
  const session = ledger.sessionOf(subscriptionId);
  const item = (subscription.items as { data: { price: { unit_amount: number } }[] }).data[0];
  const customer = ledger.store.get(idOf(subscription.customer) ?? '');
  const buyer: Buyer = {
    customer: customer?.id ?? null,
    email: (customer?.email as string | null) ?? null,
    name: (customer?.name as string | null) ?? null,
  };
  const invoice = ledger.invoice(
    subscriptionId,
    'subscription_cycle',
    item?.price.unit_amount ?? 0,
    subscription.currency as string,
    {
      buyer,
      methods: session.payment_method_types as string[],
      async: false,
      metadata: (subscription.metadata as Record<string, string> | undefined) ?? {},
    },
  );
  Object.assign(subscription, { latest_invoice: invoice.id, status: 'active' });
  return {
    invoice: structuredClone(invoice),
    event: ledger.emit('invoice.paid', invoice, session),
  };
}
