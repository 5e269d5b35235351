import type { EventLog, EventRecord } from './deliveries.js';
import { StripeActionError } from './errors.js';
import { stripeId } from './ids.js';
import {
  type Buyer,
  chargeObject,
  eventObject,
  invoiceObject,
  invoicePaymentObject,
  paymentIntentObject,
  type StripeObject,
} from './objects.js';
import {
  sessionOfPaymentIntent,
  sessionOfSubscription,
  subscriptionOfPayment,
} from './relations.js';
import { idOf, type StripeStore } from './store.js';

/** Now, in Unix seconds, as Stripe's `created` fields are. */
export const now = () => Math.floor(Date.now() / 1000);

/**
 * Where money moves in the stand-in's account: PaymentIntents and their Charges, invoices, and
 * the events each change sends. Paying a checkout and the hard cases after it (settle, refund,
 * renew) all write through it, so the objects they make are the same.
 */
export class Ledger {
  constructor(
    readonly store: StripeStore,
    readonly events: EventLog,
  ) {}

  /** Creates a PaymentIntent (and its Charge once it succeeds); returns its id. */
  charge(amount: number, currency: string, buyer: Buyer, methods: string[], async: boolean) {
    const paymentIntent = paymentIntentObject({
      id: stripeId('pi'),
      created: now(),
      amount,
      currency,
      customer: buyer.customer,
      charge: null,
      status: 'processing',
      paymentMethodTypes: methods,
    });
    this.store.put(paymentIntent);
    if (!async) this.succeed(paymentIntent);
    return paymentIntent.id;
  }

  /** A PaymentIntent succeeds: its Charge is made. */
  succeed(paymentIntent: StripeObject): void {
    const charge = chargeObject({
      id: stripeId('ch'),
      created: now(),
      amount: paymentIntent.amount as number,
      currency: paymentIntent.currency as string,
      customer: idOf(paymentIntent.customer) ?? null,
      paymentIntent: paymentIntent.id,
    });
    this.store.put(charge);
    Object.assign(paymentIntent, {
      status: 'succeeded',
      amount_received: paymentIntent.amount,
      latest_charge: charge.id,
    });
  }

  /** An invoice of a subscription, paid (by a PaymentIntent when not zero) unless `async`. */
  invoice(
    subscription: string,
    reason: 'subscription_create' | 'subscription_cycle',
    amount: number,
    currency: string,
    how: { buyer: Buyer; methods: string[]; async: boolean; metadata: Record<string, string> },
  ): StripeObject {
    const created = now();
    const invoice = invoiceObject({
      id: stripeId('in'),
      created,
      subscription,
      billingReason: reason,
      amount,
      currency,
      buyer: how.buyer,
      paid: !how.async,
      subscriptionMetadata: { ...how.metadata },
    });
    this.store.put(invoice);
    if (amount > 0) {
      const paymentIntent = this.charge(amount, currency, how.buyer, how.methods, how.async);
      this.store.put(
        invoicePaymentObject({
          id: stripeId('inpay'),
          created,
          invoice: invoice.id,
          paymentIntent,
          amount,
          currency,
        }),
      );
    }
    return invoice;
  }

  /** A Checkout Session by id, or a 404. */
  session(id: string): StripeObject {
    const session = this.store.get(id);
    if (session?.object !== 'checkout.session') {
      throw new StripeActionError(404, `No such Checkout Session: ${id}`);
    }
    return session;
  }

  /** The Checkout Session that started a subscription. */
  sessionOf(subscription: string): StripeObject {
    const session = sessionOfSubscription(this.store, subscription);
    if (!session) {
      throw new StripeActionError(409, `Subscription ${subscription} has no Checkout Session here`);
    }
    return session;
  }

  /** The Checkout Session a payment belongs to: its own, or its invoice's subscription's. */
  sessionOfPayment(paymentIntent: string): StripeObject {
    const own = sessionOfPaymentIntent(this.store, paymentIntent);
    if (own) return own;
    const subscription = subscriptionOfPayment(this.store, paymentIntent);
    if (!subscription) {
      throw new StripeActionError(
        409,
        `PaymentIntent ${paymentIntent} has no Checkout Session here`,
      );
    }
    return this.sessionOf(subscription);
  }

  /** An event with a snapshot of the object now, for the session's link. */
  emit(type: string, object: StripeObject, session: StripeObject): EventRecord {
    const event = eventObject({
      id: stripeId('evt'),
      created: now(),
      type,
      object: structuredClone(object),
    });
    return this.events.add(event, session.id, idOf(session.payment_link) ?? null);
  }
}
