import type { EventLog, EventRecord } from './deliveries.js';
import { stripeId } from './ids.js';
import { type PaymentLink, parsePaymentLink } from './links.js';
import {
  type Buyer,
  chargeObject,
  customerDetails,
  customerObject,
  eventObject,
  invoiceObject,
  invoicePaymentObject,
  paymentIntentObject,
  refundObject,
  type StripeObject,
  subscriptionObject,
} from './objects.js';
import { keepPurchase, type Purchase, purchaseOfLink, purchaseOfSession } from './purchase.js';
import {
  paymentIntentOf,
  sessionOfPaymentIntent,
  sessionOfSubscription,
  subscriptionOfPayment,
} from './relations.js';
import { openSessionObject } from './session-object.js';
import type { SessionParams } from './session-params.js';
import { idOf, type StripeStore } from './store.js';

/**
 * An action the stand-in refuses: an unknown id (404) or one in the wrong state (409), or bad
 * input (400). The control endpoints answer its status with the error envelope.
 */
export class StripeActionError extends Error {
  override name = 'StripeActionError';
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** What the buyer typed on the checkout page, and the visitor the link carried. */
export interface CheckoutInput {
  /** `?client_reference_id=` of the link: letters, digits, `-` and `_`, at most 200 (else ignored). */
  clientReferenceId?: string | null;
  email?: string | null;
  name?: string | null;
}

/** A paid (or pending) checkout: the session, where the buyer goes next and the events sent. */
export interface CheckoutResult {
  session: StripeObject;
  /** The link's success URL with the session id filled in; `null` without one. */
  redirectUrl: string | null;
  events: EventRecord[];
}

const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);
const copy = <T>(value: T): T => structuredClone(value);
const validReference = (value: string) => /^[A-Za-z0-9_-]{1,200}$/.test(value);

/**
 * The stand-in's Stripe account: its payment links, and what happens to money in it. Paying a
 * link creates what Stripe creates (a Customer, a Checkout Session, a PaymentIntent and Charge,
 * or a Subscription with its first Invoice), and each change is an event for the link's
 * endpoint: `checkout.session.completed`, `invoice.paid`, `checkout.session.async_payment_*`,
 * `refund.created`.
 */
export class StripeAccount {
  readonly store: StripeStore;
  readonly events: EventLog;
  readonly #links = new Map<string, PaymentLink>();
  /** Links from the config: not written to the data file (the config has them). */
  readonly #configured = new Set<string>();

  constructor(store: StripeStore, events: EventLog, configured: PaymentLink[]) {
    this.store = store;
    this.events = events;
    for (const link of configured) {
      this.#links.set(link.id, link);
      this.#configured.add(link.id);
    }
  }

  links(): PaymentLink[] {
    return [...this.#links.values()];
  }

  link(id: string): PaymentLink | undefined {
    return this.#links.get(id);
  }

  /** Links created at run time (`createPaymentLink`), which the data file keeps. */
  createdLinks(): PaymentLink[] {
    return this.links().filter((link) => !this.#configured.has(link.id));
  }

  /**
   * Adds a payment link; throws a `TypeError` naming the field, or for an id in use. A link
   * from the data file whose id the config now uses is skipped (`restoring`).
   */
  addLink(input: unknown, restoring = false): PaymentLink {
    const link = parsePaymentLink(input, 'paymentLink');
    if (this.#links.has(link.id)) {
      if (restoring) return link;
      throw new TypeError(`paymentLink.id "${link.id}" is in use: choose another id`);
    }
    this.#links.set(link.id, link);
    return link;
  }

  /** "Pay" on a link's checkout page: a new session, paid at once. */
  checkout(linkId: string, input: CheckoutInput): CheckoutResult {
    const link = this.#links.get(linkId);
    if (!link) throw new StripeActionError(404, `No such payment link: ${linkId}`);
    const reference = input.clientReferenceId?.trim();
    const session = openSessionObject({
      id: stripeId('cs'),
      created: now(),
      mode: link.interval === 'once' ? 'payment' : 'subscription',
      amountTotal: link.unitAmount,
      currency: link.currency,
      clientReferenceId: reference && validReference(reference) ? reference : null,
      paymentLink: link.id,
      paymentMethodTypes: [link.paymentMethod],
      successUrl: link.successUrl,
      url: null,
    });
    return this.#complete(session, purchaseOfLink(link), input);
  }

  /**
   * `POST /v1/checkout/sessions`: an open session, to be paid on its hosted page at `url`
   * (`hostedUrl(id)`). Throws a `StripeParamError` naming a parameter Stripe would refuse.
   */
  createSession(params: SessionParams, hostedUrl: (id: string) => string): StripeObject {
    const id = stripeId('cs');
    const session = openSessionObject({
      id,
      created: now(),
      mode: params.mode,
      amountTotal: params.purchase.trialDays > 0 ? 0 : params.purchase.unitAmount,
      amountSubtotal: params.purchase.unitAmount,
      currency: params.purchase.currency,
      clientReferenceId: params.clientReferenceId,
      paymentLink: null,
      paymentMethodTypes: params.paymentMethodTypes,
      successUrl: params.successUrl,
      cancelUrl: params.cancelUrl,
      customerEmail: params.customerEmail,
      metadata: params.metadata,
      lineItems: params.lineItems,
      url: hostedUrl(id),
    });
    keepPurchase(this.store, id, params.purchase);
    this.store.put(session);
    return copy(session);
  }

  /** What an open session created with the API sells, for its hosted page; 404 or 409 otherwise. */
  openSession(id: string): { session: StripeObject; purchase: Purchase } {
    const session = this.#session(id);
    const purchase = purchaseOfSession(this.store, id);
    if (!purchase) throw new StripeActionError(404, `No such Checkout Session: ${id}`);
    if (session.status !== 'open') {
      throw new StripeActionError(409, `Checkout Session ${id} is ${session.status as string}`);
    }
    return { session: copy(session), purchase };
  }

  /** "Pay" on the hosted page of a session created with the API. */
  paySession(id: string, input: Omit<CheckoutInput, 'clientReferenceId'>): CheckoutResult {
    const { purchase } = this.openSession(id);
    return this.#complete(this.#session(id), purchase, input);
  }

  /**
   * Pays an open session as Stripe does: a Customer, then a PaymentIntent and Charge, or a
   * Subscription with its first Invoice; the session completes and each change is an event.
   */
  #complete(session: StripeObject, purchase: Purchase, input: CheckoutInput): CheckoutResult {
    const created = now();
    const buyer: Buyer = {
      customer: stripeId('cus'),
      email: input.email?.trim() || (session.customer_email as string | null) || null,
      name: input.name?.trim() || null,
      country: 'FR',
    };
    this.store.put(customerObject({ id: buyer.customer as string, created, ...buyer }));
    const async = purchase.paymentMethod !== 'card';
    const methods = [purchase.paymentMethod];
    const events: [string, StripeObject][] = [];
    let paid: Record<string, unknown>;
    if (purchase.interval === 'once') {
      const paymentIntent = this.#charge(
        purchase.unitAmount,
        purchase.currency,
        buyer,
        methods,
        async,
      );
      Object.assign(this.store.get(paymentIntent) as StripeObject, {
        metadata: { ...purchase.paymentIntentMetadata },
      });
      paid = {
        payment_intent: paymentIntent,
        payment_status: async ? 'unpaid' : 'paid',
      };
    } else {
      const trial = purchase.trialDays > 0;
      const amount = trial ? 0 : purchase.unitAmount;
      const subscription = stripeId('sub');
      const invoice = this.#invoice(
        subscription,
        'subscription_create',
        amount,
        purchase.currency,
        {
          buyer,
          methods,
          async: async && !trial,
          metadata: purchase.subscriptionMetadata,
        },
      );
      const period = purchase.interval === 'month' ? 30 * DAY : 365 * DAY;
      this.store.put({
        ...subscriptionObject({
          id: subscription,
          created,
          customer: buyer.customer,
          currency: purchase.currency,
          interval: purchase.interval,
          unitAmount: purchase.unitAmount,
          productName: purchase.name,
          latestInvoice: invoice.id,
          trialEnd: trial ? created + purchase.trialDays * DAY : null,
          periodEnd: created + (trial ? purchase.trialDays * DAY : period),
        }),
        metadata: { ...purchase.subscriptionMetadata },
      });
      paid = {
        amount_total: amount,
        subscription,
        invoice: invoice.id,
        payment_status: trial ? 'no_payment_required' : async ? 'unpaid' : 'paid',
      };
      if (invoice.status === 'paid') events.push(['invoice.paid', invoice]);
    }
    Object.assign(session, {
      ...paid,
      customer: buyer.customer,
      customer_details: customerDetails(buyer),
      status: 'complete',
      url: null,
    });
    this.store.put(session);
    events.unshift(['checkout.session.completed', session]);
    const records = events.map(([type, object]) => this.#emit(type, object, session));
    const successUrl =
      (session.success_url as string | null)?.replaceAll('{CHECKOUT_SESSION_ID}', session.id) ??
      null;
    return { session: copy(session), redirectUrl: successUrl, events: records };
  }

  /**
   * Settles a session paid with an asynchronous method: `succeeded` makes it `paid`
   * (`checkout.session.async_payment_succeeded`, and `invoice.paid` for a subscription),
   * `failed` sends `checkout.session.async_payment_failed`.
   */
  settle(sessionId: string, outcome: 'succeeded' | 'failed'): EventRecord[] {
    const session = this.#session(sessionId);
    const invoice = session.invoice ? this.store.get(idOf(session.invoice) as string) : undefined;
    const paymentIntentId = idOf(session.payment_intent) ?? paymentIntentOf(this.store, invoice);
    const paymentIntent = paymentIntentId ? this.store.get(paymentIntentId) : undefined;
    if (session.payment_status !== 'unpaid' || paymentIntent?.status !== 'processing') {
      throw new StripeActionError(409, `Checkout Session ${sessionId} has no payment to settle`);
    }
    if (outcome === 'failed') {
      paymentIntent.status = 'requires_payment_method';
      return [this.#emit('checkout.session.async_payment_failed', session, session)];
    }
    this.#succeed(paymentIntent);
    session.payment_status = 'paid';
    const records = [this.#emit('checkout.session.async_payment_succeeded', session, session)];
    if (invoice) {
      Object.assign(invoice, {
        amount_paid: invoice.amount_due,
        amount_remaining: 0,
        status: 'paid',
        status_transitions: { ...(invoice.status_transitions as object), paid_at: now() },
      });
      records.push(this.#emit('invoice.paid', invoice, session));
    }
    return records;
  }

  /** Refunds a payment, all of what is left or `amount` (smallest unit): `refund.created`. */
  refund(paymentIntentId: string, amount?: number): { refund: StripeObject; event: EventRecord } {
    const paymentIntent = this.store.get(paymentIntentId);
    if (paymentIntent?.object !== 'payment_intent') {
      throw new StripeActionError(404, `No such PaymentIntent: ${paymentIntentId}`);
    }
    const charge = this.store.get(idOf(paymentIntent.latest_charge) ?? '');
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
    const session = this.#sessionOfPayment(paymentIntentId);
    const refund = refundObject({
      id: stripeId('re'),
      created: now(),
      amount: refunded,
      currency: paymentIntent.currency as string,
      charge: charge.id,
      paymentIntent: paymentIntentId,
    });
    this.store.put(refund);
    charge.amount_refunded = (charge.amount_refunded as number) + refunded;
    charge.refunded = charge.amount_refunded === charge.amount;
    return { refund: copy(refund), event: this.#emit('refund.created', refund, session) };
  }

  /** Bills a subscription's next period: a new paid invoice and `invoice.paid` (`subscription_cycle`). */
  renew(subscriptionId: string): { invoice: StripeObject; event: EventRecord } {
    const subscription = this.store.get(subscriptionId);
    if (subscription?.object !== 'subscription') {
      throw new StripeActionError(404, `No such subscription: ${subscriptionId}`);
    }
    const session = this.#sessionOf(subscriptionId);
    const item = (subscription.items as { data: { price: { unit_amount: number } }[] }).data[0];
    const customer = this.store.get(idOf(subscription.customer) ?? '');
    const buyer: Buyer = {
      customer: customer?.id ?? null,
      email: (customer?.email as string | null) ?? null,
      name: (customer?.name as string | null) ?? null,
    };
    const invoice = this.#invoice(
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
    return { invoice: copy(invoice), event: this.#emit('invoice.paid', invoice, session) };
  }

  /** The Checkout Sessions, newest first. */
  sessions(): StripeObject[] {
    return this.store.list('checkout.session');
  }

  /** Creates a PaymentIntent (and its Charge once it succeeds); returns its id. */
  #charge(amount: number, currency: string, buyer: Buyer, methods: string[], async: boolean) {
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
    if (!async) this.#succeed(paymentIntent);
    return paymentIntent.id;
  }

  #succeed(paymentIntent: StripeObject): void {
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
  #invoice(
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
      const paymentIntent = this.#charge(amount, currency, how.buyer, how.methods, how.async);
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

  #session(id: string): StripeObject {
    const session = this.store.get(id);
    if (session?.object !== 'checkout.session') {
      throw new StripeActionError(404, `No such Checkout Session: ${id}`);
    }
    return session;
  }

  /** The Checkout Session that started a subscription. */
  #sessionOf(subscription: string): StripeObject {
    const session = sessionOfSubscription(this.store, subscription);
    if (!session) {
      throw new StripeActionError(409, `Subscription ${subscription} has no Checkout Session here`);
    }
    return session;
  }

  /** The Checkout Session a payment belongs to: its own, or its invoice's subscription's. */
  #sessionOfPayment(paymentIntent: string): StripeObject {
    const own = sessionOfPaymentIntent(this.store, paymentIntent);
    if (own) return own;
    const subscription = subscriptionOfPayment(this.store, paymentIntent);
    if (!subscription) {
      throw new StripeActionError(
        409,
        `PaymentIntent ${paymentIntent} has no Checkout Session here`,
      );
    }
    return this.#sessionOf(subscription);
  }

  /** An event with a snapshot of the object now, for the session's link. */
  #emit(type: string, object: StripeObject, session: StripeObject): EventRecord {
    const event = eventObject({ id: stripeId('evt'), created: now(), type, object: copy(object) });
    return this.events.add(event, session.id, idOf(session.payment_link) ?? null);
  }
}
